package dev.quill.spark.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.DatasetStats;
import dev.quill.promote.GateDecision;
import dev.quill.promote.PromotionGate;
import dev.quill.quant.TokenizerFiles;
import dev.quill.spark.RunLayout;
import dev.quill.spark.audit.AuditJob;
import dev.quill.spark.eval.EvalJob;
import dev.quill.spark.generate.GenerateJob;
import dev.quill.spark.ingest.IngestJob;
import dev.quill.spark.quantize.QuantizeJob;
import dev.quill.spark.stats.StatsJob;
import dev.quill.spark.train.TrainJob;
import dev.quill.util.Json;
import dev.quill.spark.dynamics.DynamicsJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The stages of {@code quill pipeline} as {@link StageRunner.Stage}s: what configuration keys and inputs
 * each depends on, what it writes, and how its result is stored in and read back from its manifest.
 */
final class PipelineStages {
  private final SparkSession spark;
  private final QuillConfig config;
  private final RunLayout layout;
  private final ObjectNode tree;

  PipelineStages(SparkSession spark, QuillConfig config, RunLayout layout) {
    this.spark = spark;
    this.config = config;
    this.layout = layout;
    this.tree = (ObjectNode) ConfigLoader.toTree(config);
  }

  StageRunner.Stage<GenerateJob.Result> generate() {
    return stage("generate", keys("seed", "task", "spark.partitions"), Map.of(), Map.of("demos", layout.demos()),
        () -> GenerateJob.run(spark, config, layout.demos()), GenerateJob.Result.class);
  }

  StageRunner.Stage<IngestJob.Result> ingest(Path source) {
    return stage("ingest", keys("seed", "task", "ingest", "spark.partitions"), Map.of("source", source),
        Map.of("dataset", layout.dataset(), "quarantine", layout.quarantine()),
        () -> IngestJob.run(spark, config, source, layout.dataset(), layout.quarantine()), IngestJob.Result.class);
  }

  StageRunner.Stage<DatasetStats> stats() {
    return new StageRunner.Stage<>("stats", keys(), Map.of("dataset", layout.dataset()), Map.of("stats", layout.stats()),
        () -> StatsJob.run(spark, layout.dataset(), layout.stats()), Json.MAPPER::valueToTree,
        json -> DatasetStats.read(layout.stats()));
  }

  StageRunner.Stage<QuantizeJob.Result> quantize(Supplier<DatasetStats> stats) {
    return new StageRunner.Stage<>("quantize", keys("quantize"), Map.of("dataset", layout.dataset(), "stats", layout.stats()),
        Map.of("quantize", layout.quantize()), () -> QuantizeJob.run(spark, config, layout.dataset(), stats.get(), layout.quantize()),
        r -> {
          ObjectNode n = Json.MAPPER.createObjectNode();
          n.set("epsMean", Json.MAPPER.valueToTree(r.epsMean()));
          n.set("epsMax", Json.MAPPER.valueToTree(r.epsMax()));
          n.put("actions", r.actions());
          return n;
        },
        n -> new QuantizeJob.Result(TokenizerFiles.read(layout.tokenizer()), convert(n.get("epsMean"), double[].class),
            convert(n.get("epsMax"), double[].class), n.get("actions").asLong()));
  }

  StageRunner.Stage<AuditJob.Result> audit(Supplier<DatasetStats> stats) {
    return stage("audit", keys("seed", "quantize", "audit"),
        Map.of("dataset", layout.dataset(), "stats", layout.stats(), "tokenizer", layout.tokenizer()),
        Map.of("audit", layout.audit()),
        () -> AuditJob.run(spark, config, layout.dataset(), stats.get(), TokenizerFiles.read(layout.tokenizer()), layout.audit()),
        AuditJob.Result.class);
  }

  StageRunner.Stage<TrainJob.Result> train(TrainJob.Options options) {
    return stage("train", keys("seed", "train", "spark"),
        Map.of("dataset", layout.dataset(), "stats", layout.stats(), "tokenizer", layout.tokenizer()),
        Map.of("policy", layout.policy()), () -> TrainJob.run(spark, config, layout, options), TrainJob.Result.class);
  }

  StageRunner.Stage<DynamicsJob.Result> dynamics() {
    return stage("dynamics", keys("seed", "dynamics", "train.batchSize", "train.batchScope", "train.precision",
        "train.averagingFrequency", "train.approach", "spark"),
        Map.of("dataset", layout.dataset(), "stats", layout.stats(), "tokenizer", layout.tokenizer()),
        Map.of("dynamics", layout.dynamics()), () -> DynamicsJob.run(spark, config, layout), DynamicsJob.Result.class);
  }

  StageRunner.Stage<EvalJob.Result> eval() {
    boolean modelBased = "model-based".equals(config.eval().deployment());
    Map<String, Path> in = modelBased
        ? Map.of("policy", layout.policy(), "dataset", layout.dataset(), "dynamics", layout.dynamics())
        : Map.of("policy", layout.policy(), "dataset", layout.dataset());
    return stage("eval", keys("seed", "task", "eval", "spark.partitions"), in, Map.of("eval", layout.eval()),
        () -> EvalJob.run(spark, config, layout.policy(), layout.dataset(), layout.eval(), layout.dynamics()),
        EvalJob.Result.class);
  }

  StageRunner.Stage<GateDecision> promote(Supplier<EvalJob.Result> eval) {
    Path models = layout.models();
    return stage("promote", keys("retrain"), Map.of("policy", layout.policy(), "eval", layout.eval()),
        Map.of("current", models.resolve(PromotionGate.CURRENT), "currentJson", models.resolve(PromotionGate.CURRENT_JSON),
            "decision", models.resolve(PromotionGate.DECISION_JSON)),
        () -> PromotionGate.apply(models, layout.policy(), eval.get().policy(), config.retrain()), GateDecision.class);
  }

  private <T> StageRunner.Stage<T> stage(String name, JsonNode keys, Map<String, Path> in, Map<String, Path> out, Supplier<T> body,
      Class<T> type) {
    Function<T, JsonNode> enc = Json.MAPPER::valueToTree;
    return new StageRunner.Stage<>(name, keys, in, out, body, enc, n -> convert(n, type));
  }

  /** The configuration subtrees at the given dotted paths. */
  private JsonNode keys(String... paths) {
    Map<String, JsonNode> picked = new LinkedHashMap<>();
    for (String p : paths) {
      JsonNode n = tree;
      for (String part : p.split("\\.")) {
        n = n.path(part);
      }
      picked.put(p, n);
    }
    return Json.MAPPER.valueToTree(picked);
  }

  private static <T> T convert(JsonNode n, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(n, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot read recorded " + type.getSimpleName() + " from a stage manifest: " + e.getMessage(), e);
    }
  }
}
