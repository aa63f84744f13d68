package dev.quill.spark.quantize;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.posexplode;

import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.QuantizeConfig;
import dev.quill.quant.codebook.CodebookTokenizer;
import dev.quill.quant.codebook.Codebooks;
import dev.quill.quant.mulaw.MuLawFitter;
import dev.quill.quant.quantile.QuantileBinFitter;
import dev.quill.quant.uniform.UniformBinFitter;
import dev.quill.spark.Datasets;
import dev.quill.spark.kmeans.KMeansFit;
import dev.quill.spark.kmeans.PointBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits the tokenizer a {@link QuantizeConfig} names, over the training actions of a dataset: uniform and
 * mu-law bins from {@code stats.json}; quantile bins from Spark's {@code percentile_approx} at the fitter's
 * levels; k-means codebooks and residual VQ with {@link KMeansFit} (Spark MLlib's k-means|| initialization,
 * Bahmani et al. 2012, then Quill's Lloyd iterations over cached blocks) on standardized actions, each further
 * {@code rvq} stage on the residuals of the stages before it.
 */
public final class TokenizerFit {
  /**
   * Relative inertia change that ends the Lloyd iterations of a codebook fit before
   * {@code quantize.kmeansIterations} (see {@link KMeansFit.Options#tolerance()}).
   */
  public static final double KMEANS_TOLERANCE = 1e-4;

  /** k-means|| rounds of a codebook fit (MLlib's default {@code initializationSteps}). */
  public static final int KMEANS_INIT_STEPS = 2;

  /** Relative rank accuracy of the quantile bins' percentiles is 1 / this. */
  public static final int QUANTILE_ACCURACY = 100_000;

  private TokenizerFit() {}

  /** Fits {@code config}'s (undithered) tokenizer; {@code seed} seeds k-means. */
  public static ActionTokenizer fit(SparkSession spark, QuantizeConfig config, Path dataset, DatasetStats stats, long seed) {
    return switch (config.type()) {
      case "uniform" -> new UniformBinFitter(config).fit(stats.action());
      case "mulaw" -> new MuLawFitter(config).fit(stats.action());
      case "quantile" -> quantile(Datasets.train(spark, dataset), config.numBins(), stats.action().dim());
      case "kmeans", "rvq" -> codebook(Datasets.train(spark, dataset), config, stats, seed);
      default -> throw new IllegalArgumentException("quantize.type " + config.type() + " has no fitter");
    };
  }

  /** Equal-mass bins from the approximate quantiles of each action dimension over {@code rows}. */
  public static ActionTokenizer quantile(Dataset<Row> rows, int numBins, int dim) {
    double[] levels = QuantileBinFitter.levels(numBins);
    Column[] lv = new Column[levels.length];
    for (int i = 0; i < levels.length; i++) {
      lv[i] = lit(levels[i]);
    }
    List<Row> out = rows.select(posexplode(col("`" + Columns.ACTION + "`")).as(new String[] {"dim", "v"}))
        .groupBy("dim")
        .agg(percentile_approx(col("v").cast("double"), array(lv), lit(QUANTILE_ACCURACY)))
        .orderBy("dim")
        .collectAsList();
    if (out.size() != dim) {
      throw new IllegalStateException("actions have " + out.size() + " dimensions in the data, stats say " + dim);
    }
    double[][] q = new double[dim][];
    for (Row r : out) {
      List<Number> values = r.getList(1);
      q[r.getInt(0)] = values.stream().mapToDouble(Number::doubleValue).toArray();
    }
    return new QuantileBinFitter(numBins).fit(q);
  }

  private static ActionTokenizer codebook(Dataset<Row> rows, QuantizeConfig config, DatasetStats stats, long seed) {
    double[] offset = stats.action().mean().clone();
    double[] scale = Codebooks.safeScale(stats.action().std());
    JavaRDD<double[]> z = rows.select("`" + Columns.ACTION + "`").javaRDD().map(r -> {
      double[] a = Datasets.vector(r, 0);
      for (int j = 0; j < a.length; j++) {
        a[j] = (a[j] - offset[j]) / scale[j];
      }
      return a;
    });
    int stages = "kmeans".equals(config.type()) ? 1 : config.stages();
    return fitResidual(z, offset, scale, stages, config.codebookSize(), config.kmeansIterations(), seed);
  }

  /**
   * Residual k-means over standardized vectors {@code z}: stage s is {@link KMeansFit} (MLlib's k-means|| init
   * with seed {@code seed + s}, then at most {@code iterations} Lloyd iterations, tolerance
   * {@link #KMEANS_TOLERANCE}) on the residuals left by stages 0..s-1, each partition packed into one cached
   * block. Equal centres are merged, so a stage may have fewer than {@code k} codes.
   */
  public static CodebookTokenizer fitResidual(JavaRDD<double[]> z, double[] offset, double[] scale, int stages, int k,
      int iterations, long seed) {
    List<double[][]> books = new ArrayList<>();
    JavaRDD<double[]> residual = z;
    for (int s = 0; s < stages; s++) {
      JavaRDD<PointBlock> blocks = KMeansFit.blocks(residual, offset.length).persist(StorageLevel.MEMORY_AND_DISK());
      KMeansFit.Result fit = KMeansFit.fit(blocks,
          new KMeansFit.Options(k, iterations, KMEANS_TOLERANCE, KMEANS_INIT_STEPS, seed + s));
      blocks.unpersist(false);
      double[][] book = Codebooks.distinct(fit.centres());
      books.add(book);
      if (s + 1 < stages) {
        CodebookTokenizer partial = new CodebookTokenizer(offset, scale, books.toArray(new double[0][][]));
        residual = z.map(v -> residualAfter(partial, v));
      }
    }
    return new CodebookTokenizer(offset, scale, books.toArray(new double[0][][]));
  }

  private static double[] residualAfter(CodebookTokenizer t, double[] z) {
    double[] r = z.clone();
    for (int s = 0; s < t.numHeads(); s++) {
      double[] c = t.code(s, t.nearest(s, r));
      for (int j = 0; j < r.length; j++) {
        r[j] -= c[j];
      }
    }
    return r;
  }
}
