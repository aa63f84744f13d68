package dev.quill.spark.pipeline;

import dev.quill.policy.AveragingFrequency;
import java.util.LinkedHashMap;
import java.util.Map;

/** The content of {@code metrics.json}: the numbers of every stage of a pipeline run. */
final class RunMetrics {
  private RunMetrics() {}

  /** Metrics of {@code r} as an ordered map (JSON object). */
  static Map<String, Object> of(PipelineJob.Result r) {
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
    train.put("lanesPerWorker", r.train().lanesPerWorker());
    train.put("averagingFrequency", AveragingFrequency.reported(r.train().averagingFrequency()));
    train.put("workerBatchSize", r.train().workerBatchSize());
    train.put("bf16Workers", r.train().bf16Workers());
    train.put("approach", r.train().approach());
    m.put("train", train);
    Map<String, Object> eval = new LinkedHashMap<>();
    eval.put("policy", r.eval().policy());
    eval.put("expert", r.eval().expert());
    eval.put("successRatio", r.eval().successRatio());
    eval.put("returnGap", r.eval().returnGap());
    eval.put("heldoutActionMaePerDim", r.eval().heldoutActionMae());
    m.put("eval", eval);
    m.put("gate", r.gate());
    return m;
  }
}
