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
import dev.quill.data.FeatureMoments;
import dev.quill.data.FeatureStats;
import dev.quill.spark.Datasets;
import dev.quill.spark.ingest.DatasetMeta;
import dev.quill.task.image.ImageShape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill stats}: per-dimension mean, population std, min, max and approximate 1st/99th
 * percentiles (Spark's {@code percentile_approx}, accuracy 10000) of states and actions over the
 * training episodes, computed distributed and written as {@code stats.json}.
 *
 * <p>Wide features (more than {@value #WIDE} dimensions: image observations, 3,072 for 32x32x3) are
 * computed differently, because one SQL aggregate group per dimension after {@code posexplode} makes one
 * row per value (100M rows for the lane images): mean, std, min and max exactly by one tree aggregation
 * of {@link FeatureMoments} over the rows, and q01/q99 as exact quantiles of a seeded uniform sample of
 * up to {@value #QUANTILE_SAMPLE} frames (all frames when there are fewer), recorded under
 * {@code quill.quantiles} in {@code stats.json}. Only the action's q01/q99 are read downstream
 * ({@code quantize.bounds: q01q99}); actions are never that wide.
 *
 * <p>When the dataset's state is a flattened image ({@link DatasetMeta#imageShape()}), its mean and std are
 * pooled per image channel ({@link FeatureStats#pooledPerChannel}) and {@code stats.json} says so under
 * {@code quill.normalization}; min, max and the quantiles stay per pixel.
 */
public final class StatsJob {
  private static final Logger LOG = LoggerFactory.getLogger(StatsJob.class);
  private static final int PERCENTILE_ACCURACY = 10_000;
  /** Features with more dimensions than this get exact moments by aggregation and sampled quantiles. */
  public static final int WIDE = 64;
  /** Frames sampled for the quantiles of wide features. */
  public static final int QUANTILE_SAMPLE = 4096;
  /** Seed of that sample. */
  private static final long SAMPLE_SEED = 0x5354415453L;

  private StatsJob() {}

  /** Computes the statistics of {@code dataset}'s training split and writes them to {@code statsFile}. */
  public static DatasetStats run(SparkSession spark, Path dataset, Path statsFile) {
    DatasetMeta meta = DatasetMeta.read(dataset);
    Dataset<Row> train = Datasets.train(spark, dataset).cache();
    try {
      Map<String, String> notes = new LinkedHashMap<>();
      FeatureStats state = feature(train, Columns.STATE, meta.stateDim(), notes);
      Map<String, String> normalization = null;
      if (meta.imageShape() != null) {
        ImageShape shape = meta.imageShape();
        state = state.pooledPerChannel(shape.channels());
        normalization = Map.of(Columns.STATE, "mean and std pooled per image channel (" + shape.channels() + " channels of "
            + shape.height() + "x" + shape.width() + " pixels); min, max, q01 and q99 per pixel");
      }
      DatasetStats stats = new DatasetStats(state, feature(train, Columns.ACTION, meta.actionDim(), notes),
          notes.isEmpty() ? null : notes, normalization);
      stats.write(statsFile);
      LOG.info("Statistics of {} training frames written to {}", stats.state().count(), statsFile);
      return stats;
    } finally {
      train.unpersist();
    }
  }

  private static FeatureStats feature(Dataset<Row> df, String column, int dim, Map<String, String> notes) {
    if (dim > WIDE) {
      return wideFeature(df, column, dim, notes);
    }
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

  /** Exact moments by tree aggregation, quantiles of a seeded sample of frames (class comment). */
  private static FeatureStats wideFeature(Dataset<Row> df, String column, int dim, Map<String, String> notes) {
    JavaRDD<double[]> rows = df.select("`" + column + "`").javaRDD().map(r -> Datasets.vector(r, 0));
    FeatureMoments m = rows.treeAggregate(new FeatureMoments(dim), FeatureMoments::add, FeatureMoments::merge, 2);
    if (m.count() == 0) {
      throw new IllegalStateException(column + " has no training frames");
    }
    List<double[]> taken = rows.takeSample(false, QUANTILE_SAMPLE, SAMPLE_SEED);
    double[][] sample = taken.toArray(new double[0][]);
    notes.put(column, "q01/q99 exact over a uniform sample of " + sample.length + " of " + m.count()
        + " frames (seed " + SAMPLE_SEED + "); mean, std, min, max exact over all frames");
    return new FeatureStats(m.mean(), m.std(), m.min(), m.max(), FeatureMoments.quantile(sample, 0.01),
        FeatureMoments.quantile(sample, 0.99), m.count());
  }
}
