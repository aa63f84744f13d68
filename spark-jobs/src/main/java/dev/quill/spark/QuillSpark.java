package dev.quill.spark;

import dev.quill.config.SparkConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Quill's Spark sessions. A master set by spark-submit ({@code spark.master}) wins over the
 * config's {@code spark.master}; every executor gets {@code OMP_NUM_THREADS} so ND4J does not
 * oversubscribe its cores.
 */
public final class QuillSpark {
  private static final Logger LOG = LoggerFactory.getLogger(QuillSpark.class);

  private QuillSpark() {}

  /** Gets or creates the session for {@code appName}. */
  public static SparkSession session(SparkConfig config, String appName) {
    SparkConf conf = new SparkConf(true);
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
    conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
    warnAboutThreads(config);
    return SparkSession.builder().config(conf).getOrCreate();
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
