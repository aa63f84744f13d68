package dev.quill.spark.audit;

import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.QuantizeConfig;
import dev.quill.quant.audit.CandidateReport;
import dev.quill.quant.audit.CodeUsage;
import dev.quill.quant.audit.LocalAudit;
import dev.quill.quant.audit.NeighbourSearch;
import dev.quill.quant.audit.Recommendation;
import dev.quill.quant.audit.Smoothness;
import dev.quill.quant.audit.StateProjection;
import dev.quill.spark.Datasets;
import dev.quill.spark.quantize.TokenizerFit;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import dev.quill.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill audit}: audits the configured tokenizer (when {@code quantize} has run) and the candidates of
 * {@code audit.types} x {@code audit.numBins} on the training episodes, distributed: eps_q mean and max per
 * dimension, code occupancy, dead codes and perplexity, and the RTVC-style smoothness of
 * {@link Smoothness} over consecutive steps and over {@code audit.neighbourSamples} sampled states paired
 * with their nearest neighbour from another episode in standardized state space (for states wider than
 * {@code audit.projectionDim}, e.g. images, in its seeded random projection, {@link StateProjection}). Prints a table and a
 * recommendation ({@link Recommendation}) and writes {@code report.json} into the output folder atomically.
 * Needs only {@code ingest} and {@code stats}, so it can run before any training.
 */
public final class AuditJob {
  private static final Logger LOG = LoggerFactory.getLogger(AuditJob.class);
  /** Seed purpose of the neighbour sample and the candidates' fits. */
  public static final long AUDIT_PURPOSE = 0x4155444954L;

  private AuditJob() {}

  /**
   * Result of the audit.
   *
   * @param candidates one report per audited tokenizer, configured first
   * @param recommendation the recommendation and its reason
   */
  public record Result(List<CandidateReport> candidates, Recommendation recommendation) {}

  /**
   * Audits the tokenizers; {@code configured} is the run's fitted tokenizer or null.
   */
  public static Result run(SparkSession spark, QuillConfig config, Path dataset, DatasetStats stats,
      ActionTokenizer configured, Path out) {
    Map<String, ActionTokenizer> candidates = new LinkedHashMap<>();
    if (configured != null) {
      candidates.put("configured-" + configured.type(), configured);
    }
    long seed = Seeds.derive(config.seed(), AUDIT_PURPOSE, 0);
    for (QuantizeConfig c : config.audit().candidates(config.quantize())) {
      candidates.put(c.type() + "-" + c.numBins(), TokenizerFit.fit(spark, c, dataset, stats, seed));
    }
    List<String> names = new ArrayList<>(candidates.keySet());
    List<ActionTokenizer> tokenizers = new ArrayList<>(candidates.values());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<EpisodeData> episodes = EpisodeData.of(Datasets.train(spark, dataset)
        .select("`" + Columns.EPISODE + "`", "`" + Columns.FRAME + "`", "`" + Columns.STATE + "`", "`" + Columns.ACTION + "`"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Broadcast<List<ActionTokenizer>> tb = jsc.broadcast(tokenizers);
    try {
      List<CodeUsage> usage = episodes.map(e -> e.usage(tb.value())).reduce(AuditJob::mergeUsage);
      double[][] thresholds = new double[tokenizers.size()][];
      for (int c = 0; c < thresholds.length; c++) {
        thresholds[c] = CandidateReport.thresholds(usage.get(c), config.audit().k());
      }
      List<Smoothness> consecutive = episodes.map(e -> e.consecutive(tb.value(), thresholds))
          .reduce(AuditJob::mergeSmoothness);
      NeighbourSample sample = NeighbourSample.draw(episodes, config.audit().neighbourSamples(), stats, seed);
      StateProjection projection = StateProjection.of(stats.state().dim(), config.audit().projectionDim(), seed);
      NeighbourSearch nn = sample.search(episodes, stats, projection);
      List<CandidateReport> reports = new ArrayList<>();
      for (int c = 0; c < tokenizers.size(); c++) {
        Smoothness neighbours = LocalAudit.neighbourPairs(tokenizers.get(c), nn, sample.states(), sample.actions(),
            thresholds[c]);
        reports.add(CandidateReport.of(names.get(c), tokenizers.get(c), usage.get(c), consecutive.get(c), neighbours,
            stats.action().std()));
      }
      Recommendation rec = Recommendation.of(reports, config.audit());
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("config", config.audit());
      report.put("candidates", reports);
      report.put("recommendation", rec);
      Path staging = AtomicFiles.stagingDirFor(out);
      Json.writeFile(staging.resolve("report.json"), report);
      AtomicFiles.publishDir(staging, out);
      System.out.println(AuditTable.render(reports, rec));
      LOG.info("Audit of {} tokenizer(s) written to {}; recommended {}", reports.size(), out, rec.chosen());
      return new Result(reports, rec);
    } finally {
      tb.destroy();
      episodes.unpersist();
    }
  }

  private static List<CodeUsage> mergeUsage(List<CodeUsage> a, List<CodeUsage> b) {
    for (int i = 0; i < a.size(); i++) {
      a.get(i).merge(b.get(i));
    }
    return a;
  }

  private static List<Smoothness> mergeSmoothness(List<Smoothness> a, List<Smoothness> b) {
    for (int i = 0; i < a.size(); i++) {
      a.get(i).merge(b.get(i));
    }
    return a;
  }
}
