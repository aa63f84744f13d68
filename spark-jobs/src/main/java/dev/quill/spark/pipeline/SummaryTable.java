package dev.quill.spark.pipeline;

import java.util.Arrays;

/** The pipeline's final summary, as a plain-text table. */
final class SummaryTable {
  private SummaryTable() {}

  static String render(PipelineJob.Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append("\nQuill run ").append(r.layout().root()).append('\n');
    line(sb, "stage", "time", "result");
    line(sb, "-----", "----", "------");
    for (PipelineJob.StageTime t : r.stages()) {
      line(sb, t.stage(), t.skipped() ? "skipped" : String.format("%.1fs", t.seconds()), detail(r, t.stage()));
    }
    sb.append('\n');
    line(sb, "metric", "policy", "expert");
    line(sb, "------", "------", "------");
    line(sb, "success rate", f(r.eval().policy().successRate()), f(r.eval().expert().successRate()));
    line(sb, "mean return", f(r.eval().policy().meanReturn()), f(r.eval().expert().meanReturn()));
    line(sb, "mean steps", String.format("%.1f", r.eval().policy().meanSteps()), String.format("%.1f", r.eval().expert().meanSteps()));
    sb.append(String.format("success ratio %.3f, return gap %.2f%%, held-out action MAE %s%n",
        r.eval().successRatio(), 100 * r.eval().returnGap(), fmt(r.eval().heldoutActionMae())));
    return sb.toString();
  }

  private static String detail(PipelineJob.Result r, String stage) {
    return switch (stage) {
      case "generate" -> r.generate().episodes() + " episodes, " + r.generate().frames() + " frames, expert success "
          + f(r.generate().expertSuccessRate());
      case "ingest" -> r.ingest().episodes() + " episodes kept (" + r.ingest().heldoutEpisodes() + " held out), "
          + r.ingest().quarantinedEpisodes() + " quarantined";
      case "stats" -> "state " + r.ingest().stateDim() + " dims, action " + r.ingest().actionDim() + " dims";
      case "quantize" -> r.quantize().tokenizer().type() + " " + r.quantize().tokenizer().numHeads() + " x "
          + r.quantize().tokenizer().vocabSize(0) + " tokens, eps_q mean " + fmt(r.quantize().epsMean());
      case "audit" -> r.audit().candidates().size() + " tokenizers audited, recommended " + r.audit().recommendation().chosen();
      case "train" -> r.train().epochs().size() + " epochs, held-out loss " + f(r.train().finalHeldoutLoss()) + ", "
          + Math.round(r.train().examplesPerSecond()) + " ex/s on " + r.train().workers() + " worker(s)"
          + (r.train().lanesPerWorker() > 1 ? " x " + r.train().lanesPerWorker() + " lanes" : "")
          + (r.train().averagingFrequency() > 0 && r.train().workers() > 1
              ? ", averaging every " + r.train().averagingFrequency() + " minibatches" : "")
          + (r.train().workers() > 1 && r.train().workerBatchSize() > 0
              ? ", minibatches of " + r.train().workerBatchSize() + " per worker" : "")
          + (r.train().bf16Workers() > 0 ? ", bf16 products on " + r.train().bf16Workers() + " of "
              + r.train().workers() + " worker(s)" : "");
      case "eval" -> r.eval().policy().episodes() + " episodes";
      case "promote" -> (r.gate().promoted() ? "promoted to models/current: " : "rejected: ") + r.gate().reason();
      default -> "";
    };
  }

  private static void line(StringBuilder sb, String a, String b, String c) {
    sb.append(String.format("  %-14s %-10s %s%n", a, b, c));
  }

  private static String f(double v) {
    return String.format("%.4f", v);
  }

  private static String fmt(double[] v) {
    return Arrays.stream(v).mapToObj(x -> String.format("%.3g", x)).toList().toString();
  }
}
