package dev.quill.config;

/**
 * Spark session settings. Only plain values live here; {@code spark-jobs} turns them into a session.
 *
 * @param master Spark master URL used when the job is not launched by spark-submit with its own
 *     master, e.g. {@code local[2]}; {@code ""} means "take it from spark-submit"
 * @param partitions number of partitions for datasets and rollouts, in [1, 100000]
 * @param ompThreads OpenMP/BLAS threads per ND4J JVM (driver and executors), in [1, 256]
 * @param workerLanes data-parallel lanes (threads, one BLAS thread each) per worker of the {@code fused}
 *     training approach: {@value #AUTO_LANES} (one worker per executor, a lane per executor core) or an
 *     integer in [1, 256]
 */
public record SparkConfig(String master, int partitions, int ompThreads, String workerLanes)
    implements java.io.Serializable {

  /** {@code workerLanes} value for one worker per executor with a lane per executor core. */
  public static final String AUTO_LANES = "auto";

  /** Validates every key. */
  public SparkConfig {
    Checks.present("master", master);
    Checks.inRange("partitions", partitions, 1, 100_000);
    Checks.inRange("ompThreads", ompThreads, 1, 256);
    Checks.present("workerLanes", workerLanes);
    workerLanes = workerLanes.trim();
    Checks.check(AUTO_LANES.equals(workerLanes) || workerLanes.matches("[0-9]{1,3}")
        && Integer.parseInt(workerLanes) >= 1 && Integer.parseInt(workerLanes) <= 256, "workerLanes",
        "workerLanes must be " + AUTO_LANES + " or an integer in [1, 256], got " + workerLanes);
  }

  /** The config with {@code workerLanes} set to a fixed number of lanes. */
  public SparkConfig withWorkerLanes(int lanes) {
    return new SparkConfig(master, partitions, ompThreads, Integer.toString(lanes));
  }
}
