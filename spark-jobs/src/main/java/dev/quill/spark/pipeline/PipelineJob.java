package dev.quill.spark.pipeline;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.DatasetStats;
import dev.quill.spark.RunLayout;
import dev.quill.spark.audit.AuditJob;
import dev.quill.spark.eval.EvalJob;
import dev.quill.spark.generate.GenerateJob;
import dev.quill.spark.ingest.IngestJob;
import dev.quill.spark.quantize.QuantizeJob;
import dev.quill.spark.stats.StatsJob;
import dev.quill.spark.train.TrainJob;
import dev.quill.util.Hashing;
import dev.quill.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill pipeline}: generate, ingest, stats, quantize, audit, train and eval in one Spark application,
 * with progress per stage, a final summary table, and {@code manifest.json} (config, seed, git revision,
 * hashes of every stage's output) and {@code metrics.json} in the run directory.
 */
public final class PipelineJob {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineJob.class);
  private static final int STAGES = 7;

  private PipelineJob() {}

  /**
   * Result of a pipeline run.
   *
   * @param layout the run directory
   * @param generate demonstrations
   * @param ingest validation
   * @param quantize tokenizer fit
   * @param audit quantizer audit
   * @param train training
   * @param eval evaluation
   * @param stages wall time of each stage
   */
  public record Result(RunLayout layout, GenerateJob.Result generate, IngestJob.Result ingest, QuantizeJob.Result quantize,
      AuditJob.Result audit, TrainJob.Result train, EvalJob.Result eval, List<StageTime> stages) {}

  /**
   * Wall time of a stage.
   *
   * @param stage stage name
   * @param seconds wall seconds
   */
  public record StageTime(String stage, double seconds) {}

  /** Runs every stage into {@code layout}; {@code gitRevision} is recorded in the manifest. */
  public static Result run(SparkSession spark, QuillConfig config, RunLayout layout, String gitRevision) {
    Instant started = Instant.now();
    List<StageTime> times = new ArrayList<>();
    GenerateJob.Result gen = stage(1, "generate", times, () -> GenerateJob.run(spark, config, layout.demos()));
    IngestJob.Result ing = stage(2, "ingest", times,
        () -> IngestJob.run(spark, config, layout.demos(), layout.dataset(), layout.quarantine()));
    DatasetStats stats = stage(3, "stats", times, () -> StatsJob.run(spark, layout.dataset(), layout.stats()));
    QuantizeJob.Result q = stage(4, "quantize", times,
        () -> QuantizeJob.run(spark, config, layout.dataset(), stats, layout.quantize()));
    AuditJob.Result au = stage(5, "audit", times,
        () -> AuditJob.run(spark, config, layout.dataset(), stats, q.tokenizer(), layout.audit()));
    TrainJob.Result tr = stage(6, "train", times, () -> TrainJob.run(spark, config, layout));
    EvalJob.Result ev = stage(7, "eval", times,
        () -> EvalJob.run(spark, config, layout.policy(), layout.dataset(), layout.eval()));
    Result result = new Result(layout, gen, ing, q, au, tr, ev, times);
    writeManifest(config, layout, gitRevision, started, times);
    Json.writeFile(layout.metrics(), metrics(result));
    System.out.println(SummaryTable.render(result));
    return result;
  }

  private static <T> T stage(int index, String name, List<StageTime> times, Supplier<T> body) {
    LOG.info("[{}/{}] {} ...", index, STAGES, name);
    long t0 = System.nanoTime();
    T value = body.get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    times.add(new StageTime(name, seconds));
    LOG.info("[{}/{}] {} done in {}s", index, STAGES, name, String.format("%.1f", seconds));
    return value;
  }

  private static void writeManifest(QuillConfig config, RunLayout layout, String gitRevision, Instant started,
      List<StageTime> times) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("demos", Hashing.sha256(layout.demos()));
    outputs.put("dataset", Hashing.sha256(layout.dataset()));
    outputs.put("stats", Hashing.sha256(layout.stats()));
    outputs.put("tokenizer", Hashing.sha256(layout.tokenizer()));
    outputs.put("policy", Hashing.sha256(layout.policy()));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", "quill.run");
    manifest.put("formatVersion", 1);
    manifest.put("name", config.name());
    manifest.put("seed", config.seed());
    manifest.put("gitRevision", gitRevision);
    manifest.put("started", started.toString());
    manifest.put("finished", Instant.now().toString());
    manifest.put("config", ConfigLoader.toTree(config));
    manifest.put("stageSeconds", times);
    manifest.put("outputSha256", outputs);
    Json.writeFile(layout.manifest(), manifest);
  }

  private static Map<String, Object> metrics(Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generate", r.generate());
    Map<String, Object> ingest = new LinkedHashMap<>();
    ingest.put("episodes", r.ingest().episodes());
    ingest.put("frames", r.ingest().frames());
    ingest.put("heldoutEpisodes", r.ingest().heldoutEpisodes());
    ingest.put("quarantinedEpisodes", r.ingest().quarantinedEpisodes());
    ingest.put("findings", r.ingest().findings().size());
    m.put("ingest", ingest);
    Map<String, Object> quant = new LinkedHashMap<>();
    quant.put("epsMeanPerDim", r.quantize().epsMean());
    quant.put("epsMaxPerDim", r.quantize().epsMax());
    m.put("quantize", quant);
    Map<String, Object> audit = new LinkedHashMap<>();
    audit.put("recommended", r.audit().recommendation().chosen());
    audit.put("reason", r.audit().recommendation().reason());
    m.put("audit", audit);
    Map<String, Object> train = new LinkedHashMap<>();
    train.put("epochs", r.train().epochs());
    train.put("trainExamples", r.train().trainExamples());
    train.put("finalHeldoutLoss", r.train().finalHeldoutLoss());
    train.put("examplesPerSecond", r.train().examplesPerSecond());
    train.put("workers", r.train().workers());
    train.put("approach", r.train().approach());
    m.put("train", train);
    Map<String, Object> eval = new LinkedHashMap<>();
    eval.put("policy", r.eval().policy());
    eval.put("expert", r.eval().expert());
    eval.put("successRatio", r.eval().successRatio());
    eval.put("returnGap", r.eval().returnGap());
    eval.put("heldoutActionMaePerDim", r.eval().heldoutActionMae());
    m.put("eval", eval);
    return m;
  }
}
