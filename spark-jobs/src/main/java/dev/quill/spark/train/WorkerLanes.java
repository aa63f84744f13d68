package dev.quill.spark.train;

import dev.quill.config.SparkConfig;
import dev.quill.spark.SparkMasters;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;

/**
 * How many data-parallel lanes each worker of the {@code fused} training approach runs ({@code spark.workerLanes},
 * carried to the trainer as the Spark setting {@value #KEY}), and how its tasks get that many cores.
 *
 * <p>The lanes of a worker are {@code spark.task.cpus} when the user set it above 1 (every task then claims that many
 * cores); else the number {@value #KEY} names in the Spark configuration or, failing that, in the job ({@link #use});
 * else, for {@code auto}, the cores of one executor: {@code N} of
 * {@code local[N]} (the machine's processors for {@code local[*]}), {@code C} of {@code local-cluster[W, C, M]},
 * else {@code spark.executor.cores}, else the smallest executor registered so far ({@link RegisteredExecutors}: a
 * standalone executor without {@code spark.executor.cores} takes all its worker's cores), else 1. Without either,
 * 1: one averaged worker per core, as DL4J's parameter averaging runs.
 *
 * <p>With dynamic allocation on, Spark 3.5 cannot give a stage's tasks more cores than {@code spark.task.cpus} without
 * asking for new executors, so {@code auto} means 1 lane there and a number above 1 is refused: such tasks would run
 * their lanes on cores the scheduler gave to other tasks. {@code spark.task.cpus} still works.
 *
 * <p>Only the training stage claims the lanes' cores. On a local master the workers are cut to {@code cores / lanes}
 * partitions, so they all run at once and nothing else runs beside them. On a cluster master (standalone,
 * {@code local-cluster}, YARN, Kubernetes, dynamic allocation off) the training stage carries a task resource
 * profile of {@code lanes} CPUs (Spark's stage-level scheduling, SPARK-39853/SPARK-45495; XGBoost4J-Spark claims its
 * training tasks' cores the same way), so an executor runs only as many workers as it has room for, while ingest,
 * evaluation and every other stage keep one core per task. A global {@code spark.task.cpus} would slow those.
 */
public final class WorkerLanes {
  /** Spark setting carrying {@code spark.workerLanes} from Quill's config to the trainer ({@code auto} or a number). */
  public static final String KEY = "spark.quill.workerLanes";

  private WorkerLanes() {}

  /**
   * Makes {@code config}'s {@code spark.workerLanes} the lanes of the trainers this thread builds on {@code jsc} (a job
   * property, inherited by threads it starts), unless the Spark configuration itself names them. Jobs call it first, so
   * that a job run in a session the caller built trains like the same job run by {@code quill}.
   */
  public static void use(JavaSparkContext jsc, SparkConfig config) {
    jsc.setLocalProperty(KEY, config.workerLanes());
  }

  /**
   * Lanes per worker for a context configured by {@code conf}, where {@code jobSetting} is the job's setting
   * ({@link #use}) or {@code null} (see the class comment).
   */
  public static int resolve(SparkConf conf, String jobSetting) {
    return resolve(conf, jobSetting, Optional.empty());
  }

  /**
   * Lanes per worker as {@link #resolve(SparkConf, String)}, where {@code registeredCores} are the cores of the
   * smallest executor registered with the application ({@link RegisteredExecutors#smallest}), if known.
   */
  public static int resolve(SparkConf conf, String jobSetting, Optional<Integer> registeredCores) {
    int taskCpus = taskCpus(conf);
    if (taskCpus > 1) {
      return taskCpus;
    }
    String value = conf.get(KEY, jobSetting == null ? "1" : jobSetting).trim();
    boolean dynamic = !SparkMasters.isLocal(master(conf)) && conf.getBoolean("spark.dynamicAllocation.enabled", false);
    if (!SparkConfig.AUTO_LANES.equals(value)) {
      int lanes = parse(value, "spark.workerLanes");
      if (lanes > 1 && dynamic) {
        throw new IllegalArgumentException("spark.workerLanes=" + lanes + " needs each training task to claim " + lanes
            + " cores, which Spark cannot schedule with spark.dynamicAllocation.enabled=true: set spark.task.cpus="
            + lanes + " (every task then claims " + lanes + " cores), or spark.workerLanes=1 or auto");
      }
      Optional<Integer> cores = executorCores(conf, registeredCores);
      if (cores.isPresent() && lanes > cores.get() && !SparkMasters.isLocal(master(conf))) {
        throw new IllegalArgumentException("spark.workerLanes=" + lanes + " is more than the " + cores.get()
            + " cores of an executor (" + master(conf) + "): a worker's task could never be scheduled; use at most "
            + cores.get() + " or auto");
      }
      return lanes;
    }
    return dynamic ? 1 : executorCores(conf, registeredCores).orElse(1);
  }

  /**
   * Workers of the fused approach that run at once: the task slots ({@code defaultParallelism}, i.e. the cores) divided
   * by each worker's lanes, at least 1.
   */
  public static int workers(int defaultParallelism, int lanes) {
    return Math.max(1, defaultParallelism / lanes);
  }

  /**
   * The task resource profile the training stage needs for {@code lanes} lanes per worker, if any: only on a cluster
   * master with dynamic allocation off (the masters where Spark 3.5 schedules task-only profiles) and only when the
   * tasks do not already claim that many cores through {@code spark.task.cpus}.
   */
  public static Optional<ResourceProfile> trainingProfile(SparkConf conf, int lanes) {
    if (lanes <= taskCpus(conf) || SparkMasters.isLocal(master(conf)) || conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      return Optional.empty();
    }
    return Optional.of(new ResourceProfileBuilder().require(new TaskResourceRequests().cpus(lanes)).build());
  }

  /**
   * Cores of one executor, where the configuration says ({@code local[N]}, {@code local-cluster}, executor cores), else
   * {@code registered} (the smallest registered executor's).
   */
  static Optional<Integer> executorCores(SparkConf conf, Optional<Integer> registered) {
    String master = master(conf);
    Optional<Integer> configured = SparkMasters.localCores(master)
        .or(() -> SparkMasters.localCluster(master).map(SparkMasters.LocalCluster::cores));
    if (configured.isPresent()) {
      return configured;
    }
    return conf.contains("spark.executor.cores") ? Optional.of(parse(conf.get("spark.executor.cores"), "spark.executor.cores"))
        : registered;
  }


  private static int taskCpus(SparkConf conf) {
    return parse(conf.get("spark.task.cpus", "1"), "spark.task.cpus");
  }

  private static String master(SparkConf conf) {
    return conf.get("spark.master", "local").trim();
  }

  private static int parse(String value, String key) {
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1) {
      throw new IllegalArgumentException(key + " must be a positive integer" + (key.equals("spark.workerLanes")
          ? " or " + SparkConfig.AUTO_LANES : "") + ", got " + value);
    }
    return n;
  }
}
