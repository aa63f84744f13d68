package dev.quill.spark;

import dev.quill.config.SparkConfig;
import dev.quill.spark.train.RegisteredExecutors;
import dev.quill.spark.train.WorkerLanes;
import dev.quill.train.BlasKernels;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Quill's Spark sessions. A master set by spark-submit ({@code spark.master}) wins over the
 * config's {@code spark.master}; every executor gets {@code OMP_NUM_THREADS} so ND4J does not
 * oversubscribe its cores. Executors of a {@code local-cluster} master (same machine) also get the
 * driver's {@code OPENBLAS_CORETYPE}, Quill's OpenBLAS kernel choice ({@link BlasKernels}); on other
 * masters it is left to {@code spark.executorEnv}, since executors may run on other CPUs. Executors in JVMs of their
 * own (every master but {@code local}) get the Java Vector API module that the fused step's kernels need
 * ({@value #VECTOR_MODULE_OPTION} in {@code spark.executor.extraJavaOptions}, see {@link #VECTOR_MODULE_KEY}).
 */
public final class QuillSpark {
  private static final Logger LOG = LoggerFactory.getLogger(QuillSpark.class);

  /** Largest task result sent straight back with the task's status instead of through the block manager. */
  public static final String DIRECT_RESULT_SIZE = "32m";

  /**
   * Spark setting: {@code true} (the default) adds {@value #VECTOR_MODULE_OPTION} to the executors' JVM options on
   * masters whose executors are JVMs of their own, {@code false} leaves them as given (executors then train on the
   * plain paths: ND4J's softmax op and the plain Adam loops; README, Running on a cluster).
   */
  public static final String VECTOR_MODULE_KEY = "spark.quill.executorVectorModule";

  /** The JVM option that gives a JVM the incubating Java Vector API ({@code jdk.incubator.vector}). */
  public static final String VECTOR_MODULE_OPTION = "--add-modules jdk.incubator.vector";

  private static final String VECTOR_MODULE = VECTOR_MODULE_OPTION.substring("--add-modules ".length());

  private QuillSpark() {}

  /** Gets or creates the session for {@code appName}. */
  public static SparkSession session(SparkConfig config, String appName) {
    SparkConf conf = configure(new SparkConf(true), config, appName, System.getenv(BlasKernels.ENV));
    warnAboutThreads(config);
    warnIfTrainingWithoutVectorModule(conf.get("spark.master"));
    BlasKernels.warnIfNotChosen();
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * Quill's settings on {@code conf}, each only where {@code conf} (spark-submit, {@code spark-defaults.conf})
   * does not set it; {@code kernels} is the driver's {@code OPENBLAS_CORETYPE} (or {@code null}), passed to
   * the executors of a {@code local-cluster} master only. Returns {@code conf}.
   *
   * @throws IllegalArgumentException if neither {@code conf} nor {@code config} names a master
   */
  public static SparkConf configure(SparkConf conf, SparkConfig config, String appName, String kernels) {
    if (!conf.contains("spark.master")) {
      if (config.master().isEmpty()) {
        throw new IllegalArgumentException("spark.master is empty and no master was given by spark-submit; "
            + "set spark.master (e.g. local[2]) or pass --master");
      }
      conf.setMaster(config.master());
    }
    conf.setIfMissing("spark.app.name", appName);
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    conf.setIfMissing("spark.sql.shuffle.partitions", Integer.toString(config.partitions()));
    conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(config.ompThreads()));
    conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
    // The fused trainer reads it (WorkerLanes): only its training stage claims the lanes' cores.
    conf.setIfMissing(WorkerLanes.KEY, config.workerLanes());
    // ... and, for auto on masters whose executors' size the configuration does not name, the registered executors'.
    String listeners = conf.get("spark.extraListeners", "").trim();
    String registered = RegisteredExecutors.class.getName();
    if (!java.util.Arrays.asList(listeners.split("\\s*,\\s*")).contains(registered)) {
      conf.set("spark.extraListeners", listeners.isEmpty() ? registered : listeners + "," + registered);
    }
    conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
    // Parameter averaging returns every worker's parameters and Adam state each round (5.6 MB for the default model);
    // above 1 MB (Spark's default) a task result detours through the block manager. README, Performance.
    conf.setIfMissing("spark.task.maxDirectResultSize", DIRECT_RESULT_SIZE);
    if (kernels != null && !kernels.isBlank() && SparkMasters.localCluster(conf.get("spark.master")).isPresent()) {
      conf.setIfMissing("spark.executorEnv." + BlasKernels.ENV, kernels);
    }
    addVectorModuleToExecutors(conf);
    return conf;
  }

  /**
   * Appends {@value #VECTOR_MODULE_OPTION} to {@code spark.executor.extraJavaOptions} (keeping what the user gave
   * there) unless {@value #VECTOR_MODULE_KEY} is {@code false}, the options already name the module, or the master
   * runs its executors inside the driver's JVM ({@code local}, {@code local[...]}), whose options are fixed when it
   * starts ({@code bin/quill} gives them the module).
   *
   * @throws IllegalArgumentException if {@value #VECTOR_MODULE_KEY} is neither {@code true} nor {@code false}
   */
  private static void addVectorModuleToExecutors(SparkConf conf) {
    String options = conf.get("spark.executor.extraJavaOptions", "").trim();
    if (!executorVectorModule(conf.get(VECTOR_MODULE_KEY, "true")) || SparkMasters.isLocal(conf.get("spark.master"))
        || options.contains(VECTOR_MODULE)) {
      return;
    }
    conf.set("spark.executor.extraJavaOptions", options.isEmpty() ? VECTOR_MODULE_OPTION : options + " " + VECTOR_MODULE_OPTION);
  }

  /**
   * Reads a value of {@value #VECTOR_MODULE_KEY}.
   *
   * @throws IllegalArgumentException if it is neither {@code true} nor {@code false}
   */
  public static boolean executorVectorModule(String value) {
    String v = value.trim();
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(VECTOR_MODULE_KEY + " must be true or false, got '" + v + "'");
    }
    return v.equals("true");
  }

  private static void warnIfTrainingWithoutVectorModule(String master) {
    if (SparkMasters.isLocal(master) && ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      LOG.warn("this JVM runs the executors ({}) without the Java Vector API module, so training takes the plain "
          + "paths (ND4J's softmax op, plain Adam loops); launch through bin/quill, or give spark-submit "
          + "--driver-java-options '{}'", master, VECTOR_MODULE_OPTION);
    }
  }

  private static void warnAboutThreads(SparkConfig config) {
    String omp = System.getenv("OMP_NUM_THREADS");
    if (omp == null || !omp.equals(Integer.toString(config.ompThreads()))) {
      LOG.warn("OMP_NUM_THREADS of this JVM is {} but spark.ompThreads is {}; ND4J reads it at start-up, so launch "
          + "through bin/quill (or export OMP_NUM_THREADS={}) to avoid oversubscribed, erratic training",
          omp == null ? "unset" : omp, config.ompThreads(), config.ompThreads());
    }
  }
}
