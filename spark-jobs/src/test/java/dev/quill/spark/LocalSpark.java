package dev.quill.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of integration tests: real Spark in local mode, UI off, loopback only. Callers stop
 * it in {@code finally} (or {@code @AfterAll}).
 */
public final class LocalSpark {
  private LocalSpark() {}

  /** A fresh session on {@code master} named after the test class. */
  public static SparkSession start(String master, Class<?> testClass) {
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    return SparkSession.builder()
        .master(master)
        .appName(testClass.getSimpleName())
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.executorEnv.OMP_NUM_THREADS", "1")
        .getOrCreate();
  }

  /** Stops {@code spark} and clears the active and default sessions. */
  public static void stop(SparkSession spark) {
    if (spark != null) {
      spark.stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
