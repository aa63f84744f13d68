package dev.quill.spark.stats;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.stddev_pop;

import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.spark.Datasets;
import dev.quill.spark.ingest.DatasetMeta;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill stats}: per-dimension mean, population std, min, max and approximate 1st/99th
 * percentiles (Spark's {@code percentile_approx}, accuracy 10000) of states and actions over the
 * training episodes, computed distributed and written as {@code stats.json}.
 */
public final class StatsJob {
  private static final Logger LOG = LoggerFactory.getLogger(StatsJob.class);
  private static final int PERCENTILE_ACCURACY = 10_000;

  private StatsJob() {}

  /** Computes the statistics of {@code dataset}'s training split and writes them to {@code statsFile}. */
  public static DatasetStats run(SparkSession spark, Path dataset, Path statsFile) {
    DatasetMeta meta = DatasetMeta.read(dataset);
    Dataset<Row> train = Datasets.train(spark, dataset).cache();
    try {
      DatasetStats stats = new DatasetStats(
          feature(train, Columns.STATE, meta.stateDim()), feature(train, Columns.ACTION, meta.actionDim()));
      stats.write(statsFile);
      LOG.info("Statistics of {} training frames written to {}", stats.state().count(), statsFile);
      return stats;
    } finally {
      train.unpersist();
    }
  }

  private static FeatureStats feature(Dataset<Row> df, String column, int dim) {
    List<Row> rows = df.select(posexplode(col("`" + column + "`")).as(new String[] {"dim", "v"}))
        .groupBy("dim")
        .agg(avg("v"), stddev_pop("v"), min("v"), max("v"),
            percentile_approx(col("v"), array(lit(0.01), lit(0.99)), lit(PERCENTILE_ACCURACY)), count(lit(1)))
        .orderBy("dim")
        .collectAsList();
    if (rows.size() != dim) {
      throw new IllegalStateException(column + " has " + rows.size() + " dimensions in the data, dataset meta says " + dim);
    }
    double[][] s = new double[6][dim];
    long n = 0;
    for (Row r : rows) {
      int d = r.getInt(0);
      s[0][d] = r.getDouble(1);
      s[1][d] = r.getDouble(2);
      s[2][d] = ((Number) r.get(3)).doubleValue();
      s[3][d] = ((Number) r.get(4)).doubleValue();
      List<Number> q = r.getList(5);
      s[4][d] = q.get(0).doubleValue();
      s[5][d] = q.get(1).doubleValue();
      n = r.getLong(6);
    }
    return new FeatureStats(s[0], s[1], s[2], s[3], s[4], s[5], n);
  }
}
