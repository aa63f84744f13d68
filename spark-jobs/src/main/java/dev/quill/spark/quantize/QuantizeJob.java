package dev.quill.spark.quantize;

import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerFiles;
import dev.quill.quant.uniform.UniformBinFitter;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.spark.Datasets;
import dev.quill.util.AbsErrorStats;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
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
 * {@code quill quantize}: fits the action tokenizer from {@code stats.json} and measures its
 * reconstruction error eps_q (mean and max per dimension) over every training action, distributed.
 * Writes {@code tokenizer.json} and {@code report.json} into the output folder atomically.
 */
public final class QuantizeJob {
  private static final Logger LOG = LoggerFactory.getLogger(QuantizeJob.class);

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

  /** Fits and audits the tokenizer; writes into folder {@code out}. */
  public static Result run(SparkSession spark, QuillConfig config, Path dataset, DatasetStats stats, Path out) {
    UniformBinTokenizer tokenizer = new UniformBinFitter(config.quantize()).fit(stats.action());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ActionTokenizer> tb = jsc.broadcast(tokenizer);
    AbsErrorStats eps = Datasets.train(spark, dataset).select("`" + Columns.ACTION + "`").javaRDD()
        .mapPartitions(new ReconstructionError(tb))
        .reduce(AbsErrorStats::merge);
    tb.destroy();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("config", config.quantize());
    report.put("actions", eps.count());
    report.put("epsMeanPerDim", eps.meanPerDim());
    report.put("epsMaxPerDim", eps.maxPerDim());
    report.put("epsMean", eps.mean());
    report.put("epsMax", eps.max());
    double[] halfBin = new double[tokenizer.actionDim()];
    for (int j = 0; j < halfBin.length; j++) {
      halfBin[j] = tokenizer.binWidth(j) / 2;
    }
    report.put("halfBinWidthPerDim", halfBin);
    Path staging = AtomicFiles.stagingDirFor(out);
    TokenizerFiles.write(tokenizer, staging.resolve("tokenizer.json"));
    Json.writeFile(staging.resolve("report.json"), report);
    AtomicFiles.publishDir(staging, out);
    LOG.info("Tokenizer {} x {} bins: eps_q mean {} max {} over {} actions", tokenizer.actionDim(), tokenizer.numBins(),
        String.format("%.3g", eps.mean()), String.format("%.3g", eps.max()), eps.count());
    return new Result(tokenizer, eps.meanPerDim(), eps.maxPerDim(), eps.count());
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
        double[] a = Datasets.vector(rows.next(), 0);
        err.add(a, t.decode(t.encode(a)));
      }
      return List.of(err).iterator();
    }
  }
}
