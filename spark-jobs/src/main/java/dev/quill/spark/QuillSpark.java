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
 * masters it is left to {@code spark.executorEnv}, since executors may run on other CPUs.
 */
public final class QuillSpark {
  private static final Logger LOG = LoggerFactory.getLogger(QuillSpark.class);

  /** Largest task result sent straight back with the task's status instead of through the block manager. */
  public static final String DIRECT_RESULT_SIZE = "32m";

  private QuillSpark() {}

  /** Gets or creates the session for {@code appName}. */
  public static SparkSession session(SparkConfig config, String appName) {
    SparkConf conf = configure(new SparkConf(true), config, appName, System.getenv(BlasKernels.ENV));
    warnAboutThreads(config);
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
    if (kernels != null && !kernels.isBlank() && conf.get("spark.master").startsWith("local-cluster")) {
      conf.setIfMissing("spark.executorEnv." + BlasKernels.ENV, kernels);
    }
    return conf;
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
