package dev.quill.spark.quantize;

import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerFiles;
import dev.quill.quant.dither.DitheredTokenizer;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.spark.Datasets;
import dev.quill.util.AbsErrorStats;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import dev.quill.util.Seeds;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill quantize}: fits the action tokenizer ({@link TokenizerFit}) and measures its reconstruction
 * error eps_q (mean and max per dimension) over every training action, distributed. With
 * {@code quantize.dither} the fitted tokenizer is wrapped in a {@link DitheredTokenizer} whose half width per
 * dimension is half a bin for uniform bins (Schuchman's condition: the error is then uniform whatever the
 * action) and twice the base's mean error for the other families, seeded from the run seed,
 * and eps_q is measured with the dither (state-aware encode and decode). Writes {@code tokenizer.json} and
 * {@code report.json} into the output folder atomically.
 */
public final class QuantizeJob {
  private static final Logger LOG = LoggerFactory.getLogger(QuantizeJob.class);
  /** Seed purpose of tokenizer fitting (k-means) and dithering. */
  public static final long QUANTIZE_PURPOSE = 0x5155414e54L;

  private QuantizeJob() {}

  /**
   * Result of quantize.
   *
   * @param tokenizer the fitted tokenizer
   * @param epsMean mean reconstruction error per action dimension
   * @param epsMax max reconstruction error per action dimension
   * @param actions actions measured
   */
  public record Result(ActionTokenizer tokenizer, double[] epsMean, double[] epsMax, long actions) {}

  /** Fits and measures the tokenizer; writes into folder {@code out}. */
  public static Result run(SparkSession spark, QuillConfig config, Path dataset, DatasetStats stats, Path out) {
    ActionTokenizer tokenizer = TokenizerFit.fit(spark, config.quantize(), dataset, stats,
        Seeds.derive(config.seed(), QUANTIZE_PURPOSE, 0));
    AbsErrorStats eps = reconstructionError(spark, tokenizer, dataset);
    if (config.quantize().dither()) {
      double[] half = eps.meanPerDim();
      for (int j = 0; j < half.length; j++) {
        half[j] = tokenizer instanceof UniformBinTokenizer u ? u.binWidth(j) / 2 : 2 * half[j];
      }
      tokenizer = new DitheredTokenizer(tokenizer, half, Seeds.derive(config.seed(), QUANTIZE_PURPOSE, 1));
      eps = reconstructionError(spark, tokenizer, dataset);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("config", config.quantize());
    report.put("type", tokenizer.type());
    report.put("numHeads", tokenizer.numHeads());
    int[] vocab = new int[tokenizer.numHeads()];
    for (int h = 0; h < vocab.length; h++) {
      vocab[h] = tokenizer.vocabSize(h);
    }
    report.put("vocabSizePerHead", vocab);
    report.put("actions", eps.count());
    report.put("epsMeanPerDim", eps.meanPerDim());
    report.put("epsMaxPerDim", eps.maxPerDim());
    report.put("epsMean", eps.mean());
    report.put("epsMax", eps.max());
    if (tokenizer instanceof UniformBinTokenizer u) {
      double[] halfBin = new double[u.actionDim()];
      for (int j = 0; j < halfBin.length; j++) {
        halfBin[j] = u.binWidth(j) / 2;
      }
      report.put("halfBinWidthPerDim", halfBin);
    }
    Path staging = AtomicFiles.stagingDirFor(out);
    TokenizerFiles.write(tokenizer, staging.resolve("tokenizer.json"));
    Json.writeFile(staging.resolve("report.json"), report);
    AtomicFiles.publishDir(staging, out);
    LOG.info("Tokenizer {} ({} heads, vocab {}): eps_q mean {} max {} over {} actions", tokenizer.type(),
        tokenizer.numHeads(), java.util.Arrays.toString(vocab), String.format("%.3g", eps.mean()),
        String.format("%.3g", eps.max()), eps.count());
    return new Result(tokenizer, eps.meanPerDim(), eps.maxPerDim(), eps.count());
  }

  /** eps_q of {@code tokenizer} over the training actions (state-aware encode/decode), distributed. */
  public static AbsErrorStats reconstructionError(SparkSession spark, ActionTokenizer tokenizer, Path dataset) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ActionTokenizer> tb = jsc.broadcast(tokenizer);
    try {
      return Datasets.train(spark, dataset).select("`" + Columns.STATE + "`", "`" + Columns.ACTION + "`").javaRDD()
          .mapPartitions(new ReconstructionError(tb))
          .reduce(AbsErrorStats::merge);
    } finally {
      tb.destroy();
    }
  }

  /** Executor side: reconstruction error of one partition's actions. */
  private static final class ReconstructionError implements FlatMapFunction<Iterator<Row>, AbsErrorStats> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<ActionTokenizer> tokenizer;

    ReconstructionError(Broadcast<ActionTokenizer> tokenizer) {
      this.tokenizer = tokenizer;
    }

    @Override
    public Iterator<AbsErrorStats> call(Iterator<Row> rows) {
      ActionTokenizer t = tokenizer.value();
      AbsErrorStats err = new AbsErrorStats(t.actionDim());
      while (rows.hasNext()) {
        Row row = rows.next();
        double[] x = Datasets.vector(row, 0);
        double[] a = Datasets.vector(row, 1);
        err.add(a, t.decode(x, t.encode(x, a)));
      }
      return List.of(err).iterator();
    }
  }
}
