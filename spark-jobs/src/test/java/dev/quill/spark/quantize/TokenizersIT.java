package dev.quill.spark.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.quant.TokenizerFiles;
import dev.quill.quant.codebook.CodebookTokenizer;
import dev.quill.quant.dither.DitheredTokenizer;
import dev.quill.quant.quantile.QuantileBinTokenizer;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.spark.Datasets;
import dev.quill.spark.LocalSpark;
import dev.quill.spark.RunLayout;
import dev.quill.spark.audit.AuditJob;
import dev.quill.spark.generate.GenerateJob;
import dev.quill.spark.ingest.IngestJob;
import dev.quill.spark.pipeline.PipelineJob;
import dev.quill.spark.stats.StatsJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tokenizer family fitted by {@code quantize} on real Spark over the {@code linear} task's
 * demonstrations, the audit on the same data, and one end-to-end pipeline with a k-means codebook.
 */
class TokenizersIT {
  private static SparkSession spark;
  @TempDir
  static Path dir;
  private static RunLayout layout;
  private static DatasetStats stats;
  private static List<double[]> actions;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", TokenizersIT.class);
    layout = new RunLayout(dir.resolve("run"));
    QuillConfig config = config();
    GenerateJob.run(spark, config, layout.demos());
    IngestJob.run(spark, config, layout.demos(), layout.dataset(), layout.quarantine());
    stats = StatsJob.run(spark, layout.dataset(), layout.stats());
    actions = new ArrayList<>();
    for (Row r : Datasets.train(spark, layout.dataset()).select("`" + Columns.ACTION + "`").collectAsList()) {
      actions.add(Datasets.vector(r, 0));
    }
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private static QuillConfig config(String... overrides) {
    List<String> o = new ArrayList<>(List.of("task.name=linear", "task.episodes=200", "task.expertNoise=0.05",
        "audit.neighbourSamples=300", "audit.numBins=[16, 64]"));
    o.addAll(List.of(overrides));
    return ConfigLoader.load(null, o);
  }

  private static QuantizeJob.Result quantize(String name, String... overrides) {
    return QuantizeJob.run(spark, config(overrides), layout.dataset(), stats, dir.resolve(name));
  }

  @Test
  void quantile_binsHoldEqualMass() {
    QuantizeJob.Result r = quantize("quantile", "quantize.type=quantile", "quantize.numBins=8");
    QuantileBinTokenizer t = (QuantileBinTokenizer) r.tokenizer();
    for (int j = 0; j < 2; j++) {
      int[] counts = new int[8];
      for (double[] a : actions) {
        counts[t.encode(a)[j]]++;
      }
      for (int c : counts) {
        assertEquals(actions.size() / 8.0, c, actions.size() * 0.01, "dimension " + j + " counts " + java.util.Arrays.toString(counts));
      }
    }
    assertEquals(t, TokenizerFiles.read(dir.resolve("quantile/tokenizer.json")));
  }

  @Test
  void kmeans_centresAreMeansOfTheirCells() {
    QuantizeJob.Result r = quantize("kmeans", "quantize.type=kmeans", "quantize.codebookSize=16", "quantize.kmeansIterations=200");
    CodebookTokenizer t = (CodebookTokenizer) r.tokenizer();
    assertEquals("kmeans", t.type());
    assertEquals(1, t.numHeads());
    assertEquals(16, t.vocabSize(0));
    double[][] sum = new double[16][2];
    int[] n = new int[16];
    for (double[] a : actions) {
      double[] z = t.standardize(a);
      int k = t.nearest(0, z);
      n[k]++;
      sum[k][0] += z[0];
      sum[k][1] += z[1];
    }
    for (int k = 0; k < 16; k++) {
      assertTrue(n[k] > 0, "code " + k + " is dead");
      double[] c = t.code(0, k);
      assertEquals(sum[k][0] / n[k], c[0], 0.02, "code " + k);
      assertEquals(sum[k][1] / n[k], c[1], 0.02, "code " + k);
    }
  }

  @Test
  void rvq_secondStageLowersError() {
    QuantizeJob.Result one = quantize("rvq1", "quantize.type=kmeans", "quantize.codebookSize=8");
    QuantizeJob.Result two = quantize("rvq2", "quantize.type=rvq", "quantize.stages=2", "quantize.codebookSize=8");
    assertEquals(2, two.tokenizer().numHeads());
    // the second stage is k-means on the residuals: its squared error cannot exceed the residuals' own
    assertTrue(squaredError(two.tokenizer()) < 0.8 * squaredError(one.tokenizer()),
        squaredError(two.tokenizer()) + " vs " + squaredError(one.tokenizer()));
    for (int j = 0; j < 2; j++) {
      assertTrue(two.epsMean()[j] < one.epsMean()[j], "dimension " + j + ": " + two.epsMean()[j] + " vs " + one.epsMean()[j]);
    }
  }

  @Test
  void dither_keepsMeanErrorOfAQuarterBin() {
    QuantizeJob.Result r = quantize("dither", "quantize.type=uniform", "quantize.numBins=16", "quantize.dither=true");
    DitheredTokenizer t = (DitheredTokenizer) r.tokenizer();
    UniformBinTokenizer base = (UniformBinTokenizer) t.base();
    for (int j = 0; j < 2; j++) {
      // subtractive dither of half width w/2: error uniform on [-w/2, w/2] whatever the action, mean |e| = w/4
      assertEquals(base.binWidth(j) / 2, t.halfWidth()[j], 1e-12);
      assertEquals(base.binWidth(j) / 4, r.epsMean()[j], 0.05 * base.binWidth(j) / 4, "dimension " + j);
    }
    assertEquals(t, TokenizerFiles.read(dir.resolve("dither/tokenizer.json")));
  }

  @Test
  void audit_uniformHasNoViolations_andRecommends() {
    QuillConfig c = config();
    QuantizeJob.Result q = quantize("audit-q");
    AuditJob.Result r = AuditJob.run(spark, c, layout.dataset(), stats, q.tokenizer(), dir.resolve("audit"));
    assertEquals(1 + 3 * 2, r.candidates().size());
    assertEquals("configured-uniform", r.candidates().get(0).name());
    assertEquals(300, r.candidates().get(0).neighbourPairs());
    assertEquals(actions.size() - r.candidates().get(0).consecutivePairs(), episodesInTraining(), "one pair per step but the first");
    for (var cand : r.candidates()) {
      assertEquals(actions.size(), cand.actions());
    }
    // fine uniform bins add at most one bin width, below 5 epsMean: no violations
    assertEquals(0, r.candidates().get(0).consecutiveViolations() + r.candidates().get(0).neighbourViolations());
    var uniform64 = r.candidates().stream().filter(x -> x.name().equals("uniform-64")).findFirst().orElseThrow();
    assertEquals(0, uniform64.consecutiveViolations() + uniform64.neighbourViolations());
    // 16 bins: the actions settle on the middle edge and flip between the two middle bins
    var uniform16 = r.candidates().stream().filter(x -> x.name().equals("uniform-16")).findFirst().orElseThrow();
    assertTrue(uniform16.violationRate() > 0.02, "uniform-16 violation rate " + uniform16.violationRate());
    assertEquals("configured-uniform", r.recommendation().chosen());
    assertTrue(Files.isRegularFile(dir.resolve("audit/report.json")));
  }

  @Test
  void pipeline_trainsAndEvaluatesWithAKMeansCodebook() {
    QuillConfig c = config("quantize.type=kmeans", "quantize.codebookSize=64", "train.epochs=4", "train.batchSize=256",
        "train.hidden=[64, 64]", "eval.episodes=20", "audit.types=[uniform]", "audit.numBins=[16]");
    PipelineJob.Result r = PipelineJob.run(spark, c, new RunLayout(dir.resolve("pipe")), "test");
    assertEquals("kmeans", r.quantize().tokenizer().type());
    assertTrue(r.train().finalHeldoutLoss() < r.train().epochs().get(0).heldoutLoss() || r.train().finalHeldoutLoss() < Math.log(64),
        "held-out loss " + r.train().finalHeldoutLoss());
    assertTrue(Double.isFinite(r.eval().policy().meanReturn()));
    assertEquals(2, r.audit().candidates().size());
  }

  private static double squaredError(dev.quill.quant.ActionTokenizer t) {
    CodebookTokenizer c = (CodebookTokenizer) t;
    double sse = 0;
    for (double[] a : actions) {
      double[] z = c.standardize(a);
      double[] q = c.standardize(c.decode(c.encode(a)));
      sse += (z[0] - q[0]) * (z[0] - q[0]) + (z[1] - q[1]) * (z[1] - q[1]);
    }
    return sse;
  }

  private static long episodesInTraining() {
    return Datasets.train(spark, layout.dataset()).select("`" + Columns.EPISODE + "`").distinct().count();
  }

}
