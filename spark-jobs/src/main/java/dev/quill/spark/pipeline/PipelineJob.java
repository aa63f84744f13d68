package dev.quill.spark.pipeline;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.DatasetStats;
import dev.quill.spark.RunLayout;
import dev.quill.promote.GateDecision;
import dev.quill.spark.audit.AuditJob;
import dev.quill.promote.PromotionGate;
import dev.quill.spark.eval.EvalJob;
import dev.quill.spark.generate.GenerateJob;
import dev.quill.spark.ingest.IngestJob;
import dev.quill.spark.quantize.QuantizeJob;
import dev.quill.spark.report.RunReport;
import dev.quill.spark.train.TrainJob;
import dev.quill.util.Hashing;
import dev.quill.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill pipeline}: generate (or an external source), ingest, stats, quantize, audit, train, eval and
 * promote in one Spark application. Stages are idempotent ({@link StageRunner}): a rerun skips every
 * stage whose configuration and inputs did not change, and when nothing ran it rewrites nothing.
 * Training warm-starts from {@code models/current} when it has to rerun ({@code retrain.warmStart});
 * the promotion gate decides whether the new policy replaces it. Writes {@code manifest.json},
 * {@code metrics.json}, {@code report.html}, per-stage manifests in {@code stages/}, and JSON-lines events when asked.
 */
public final class PipelineJob {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineJob.class);

  private PipelineJob() {}

  /**
   * Result of a pipeline run (skipped stages contribute their recorded results).
   *
   * @param layout the run directory
   * @param generate demonstrations, or {@code null} with an external source
   * @param ingest validation
   * @param quantize tokenizer fit
   * @param audit quantizer audit
   * @param train training
   * @param eval evaluation
   * @param gate the promotion decision
   * @param stages wall time of each stage
   * @param changed whether any stage ran
   */
  public record Result(RunLayout layout, GenerateJob.Result generate, IngestJob.Result ingest, QuantizeJob.Result quantize,
      AuditJob.Result audit,
      TrainJob.Result train, EvalJob.Result eval, GateDecision gate, List<StageTime> stages, boolean changed) {}

  /**
   * Wall time of a stage.
   *
   * @param stage stage name
   * @param seconds wall seconds (0 when skipped)
   * @param skipped whether the stage was up to date and skipped
   */
  public record StageTime(String stage, double seconds, boolean skipped) {}

  /**
   * How the pipeline runs.
   *
   * @param source demonstrations to ingest instead of generating them, or {@code null}
   * @param resume continue an interrupted training stage from its newest checkpoint
   * @param events where progress events go ({@link EventLog#none()} for nowhere)
   */
  public record Options(Path source, boolean resume, EventLog events) {
    /** Generate, no resume, no events. */
    public static final Options DEFAULT = new Options(null, false, EventLog.none());
  }

  /** Runs every stage into {@code layout} with {@link Options#DEFAULT}; {@code gitRevision} goes into the manifest. */
  public static Result run(SparkSession spark, QuillConfig config, RunLayout layout, String gitRevision) {
    return run(spark, config, layout, gitRevision, Options.DEFAULT);
  }

  /** Runs the stages that are out of date into {@code layout}; {@code gitRevision} goes into the manifest. */
  public static Result run(SparkSession spark, QuillConfig config, RunLayout layout, String gitRevision, Options options) {
    Instant started = Instant.now();
    EventLog events = options.events();
    PipelineStages stages = new PipelineStages(spark, config, layout);
    boolean modelBased = "model-based".equals(config.eval().deployment());
    StageRunner runner = new StageRunner(layout, events, (options.source() == null ? 8 : 7) + (modelBased ? 1 : 0));
    GenerateJob.Result gen = options.source() == null ? runner.run(stages.generate()) : null;
    IngestJob.Result ing = runner.run(stages.ingest(options.source() == null ? layout.demos() : options.source()));
    DatasetStats stats = runner.run(stages.stats());
    QuantizeJob.Result q = runner.run(stages.quantize(() -> stats));
    AuditJob.Result au = runner.run(stages.audit(() -> stats));
    Path warm = config.retrain().warmStart() ? layout.models().resolve(PromotionGate.CURRENT) : null;
    TrainJob.Result tr = runner.run(stages.train(new TrainJob.Options(options.resume(), warm,
        e -> events.emit("epoch", "epoch", e.epoch(), "epochs", config.train().epochs(), "trainLoss", e.trainLoss(),
            "heldoutLoss", e.heldoutLoss(), "examplesPerSecond", e.examplesPerSecond()))));
    if (modelBased) {
      runner.run(stages.dynamics());
    }
    EvalJob.Result ev = runner.run(stages.eval());
    GateDecision gate = runner.run(stages.promote(() -> ev));
    Result result = new Result(layout, gen, ing, q, au, tr, ev, gate, runner.times(), runner.anyRan());
    Map<String, Object> metrics = RunMetrics.of(result);
    if (runner.anyRan() || !Files.isRegularFile(layout.manifest()) || !Files.isRegularFile(layout.metrics())
        || !Files.isRegularFile(layout.report())) {
      writeManifest(config, layout, gitRevision, started, runner.times());
      Json.writeFile(layout.metrics(), metrics);
      RunReport.write(result, config);
    } else {
      LOG.info("Every stage was up to date; nothing was rewritten");
    }
    events.emit("metrics", "metrics", metrics);
    events.emit("gate", "promoted", gate.promoted(), "reason", gate.reason(), "metric", gate.metric(),
        "candidate", gate.candidateValue(), "current", gate.currentValue());
    (events.isStdout() ? System.err : System.out).println(SummaryTable.render(result));
    return result;
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
}
