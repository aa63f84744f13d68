package dev.quill.config;

/**
 * Spark session settings. Only plain values live here; {@code spark-jobs} turns them into a session.
 *
 * @param master Spark master URL used when the job is not launched by spark-submit with its own
 *     master, e.g. {@code local[2]}; {@code ""} means "take it from spark-submit"
 * @param partitions number of partitions for datasets and rollouts, in [1, 100000]
 * @param ompThreads OpenMP/BLAS threads per ND4J JVM (driver and executors), in [1, 256]
 * @param workerLanes data-parallel lanes (threads, one BLAS thread each) per worker of the {@code fused}
 *     training approach, in [1, 256]; each worker task then claims that many cores ({@code spark.task.cpus})
 */
public record SparkConfig(String master, int partitions, int ompThreads, int workerLanes)
    implements java.io.Serializable {

  /** Validates every key. */
  public SparkConfig {
    Checks.present("master", master);
    Checks.inRange("partitions", partitions, 1, 100_000);
    Checks.inRange("ompThreads", ompThreads, 1, 256);
    Checks.inRange("workerLanes", workerLanes, 1, 256);
  }
}
