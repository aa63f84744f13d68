package dev.quill.spark.report;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.eval.EvalSummary;
import dev.quill.spark.ingest.DatasetMeta;
import dev.quill.spark.pipeline.PipelineJob;
import dev.quill.train.EpochStats;
import dev.quill.util.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes {@code report.html} for a pipeline run: configuration, stage timings, metrics tables and the
 * plots of {@link ReportCharts} embedded as PNG data URIs, so the page is one self-contained file
 * (written atomically).
 */
public final class RunReport {
  private RunReport() {}

  /** Renders the report of {@code r} (run with {@code config}) and writes it to {@code r.layout().report()}. */
  public static Path write(PipelineJob.Result r, QuillConfig config) {
    List<String> actionNames = DatasetMeta.read(r.layout().dataset()).actionNames();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Quill run ").append(esc(config.name()))
        .append("</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}"
            + "pre{background:#f8f8f8;padding:8px}</style></head><body>\n");
    h.append("<h1>Quill run ").append(esc(config.name())).append("</h1>\n<p>").append(esc(r.layout().root().toString()))
        .append("</p>\n");
    h.append("<h2>Stages</h2>\n");
    List<List<String>> stages = new ArrayList<>();
    for (PipelineJob.StageTime t : r.stages()) {
      stages.add(List.of(t.stage(), t.skipped() ? "skipped (up to date)" : String.format("%.1f s", t.seconds())));
    }
    table(h, List.of("stage", "wall time"), stages);
    h.append("<h2>Evaluation</h2>\n");
    table(h, List.of("method", "episodes", "success rate", "mean return", "std return", "mean steps"),
        List.of(evalRow("policy", r.eval().policy()), evalRow("expert", r.eval().expert())));
    h.append(String.format("<p>success ratio %.3f, return gap %.2f %%</p>%n", r.eval().successRatio(), 100 * r.eval().returnGap()));
    img(h, "success by method", ReportCharts.successByMethod(List.of("policy", "expert"),
        new double[] {r.eval().policy().successRate(), r.eval().expert().successRate()}));
    h.append("<h2>Promotion gate</h2>\n<p>").append(r.gate().promoted() ? "promoted to models/current" : "rejected")
        .append(": ").append(esc(r.gate().reason())).append("</p>\n");
    h.append("<h2>Training</h2>\n");
    List<List<String>> rows = new ArrayList<>();
    for (EpochStats e : r.train().epochs()) {
      rows.add(List.of(Integer.toString(e.epoch()), f(e.trainLoss()), f(e.heldoutLoss()), String.format("%.1f", e.seconds()),
          Long.toString(Math.round(e.examplesPerSecond()))));
    }
    img(h, "loss per epoch", ReportCharts.lossPerEpoch(r.train().epochs()));
    table(h, List.of("epoch", "train loss", "held-out loss", "seconds", "examples/s"), rows);
    h.append("<h2>Quantization</h2>\n");
    List<List<String>> eps = new ArrayList<>();
    for (int d = 0; d < r.quantize().epsMean().length; d++) {
      eps.add(List.of(actionNames.get(d), f(r.quantize().epsMean()[d]), f(r.quantize().epsMax()[d])));
    }
    table(h, List.of("dimension", "eps_q mean", "eps_q max"), eps);
    img(h, "eps_q per dimension", ReportCharts.epsPerDimension(actionNames, r.quantize().epsMean(), r.quantize().epsMax()));
    h.append("<h2>Data</h2>\n");
    table(h, List.of("episodes", "frames", "held-out episodes", "quarantined episodes"), List.of(List.of(
        Long.toString(r.ingest().episodes()), Long.toString(r.ingest().frames()), Long.toString(r.ingest().heldoutEpisodes()),
        Long.toString(r.ingest().quarantinedEpisodes()))));
    h.append("<h2>Configuration</h2>\n<pre>").append(esc(ConfigLoader.toYaml(config))).append("</pre>\n</body></html>\n");
    AtomicFiles.writeString(r.layout().report(), h.toString());
    return r.layout().report();
  }

  private static List<String> evalRow(String method, EvalSummary s) {
    return List.of(method, Integer.toString(s.episodes()), f(s.successRate()), f(s.meanReturn()), f(s.stdReturn()),
        String.format("%.1f", s.meanSteps()));
  }

  private static void table(StringBuilder h, List<String> header, List<List<String>> rows) {
    h.append("<table><tr>");
    header.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
    h.append("</tr>\n");
    for (List<String> row : rows) {
      h.append("<tr>");
      row.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void img(StringBuilder h, String alt, byte[] png) {
    h.append("<p><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
  }

  private static String f(double v) {
    return Double.isFinite(v) ? String.format("%.4f", v) : "n/a";
  }

  /** HTML-escapes text. */
  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
