package dev.quill.promote;

import dev.quill.config.RetrainConfig;
import dev.quill.eval.EvalSummary;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Hashing;
import dev.quill.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The promotion gate over a models folder: {@code current/} (a policy directory), {@code current.json}
 * ({@link CurrentModel}) and {@code promotion.json} (the last {@link GateDecision}). Every file and
 * folder is replaced atomically.
 */
public final class PromotionGate {
  /** The promoted policy directory. */
  public static final String CURRENT = "current";
  /** Metadata of the promoted policy. */
  public static final String CURRENT_JSON = "current.json";
  /** The last decision. */
  public static final String DECISION_JSON = "promotion.json";

  private PromotionGate() {}

  /** The value of {@code metric} ({@code successRate} or {@code meanReturn}) in {@code s}. */
  public static double metricOf(EvalSummary s, String metric) {
    return switch (metric) {
      case "successRate" -> s.successRate();
      case "meanReturn" -> s.meanReturn();
      default -> throw new IllegalArgumentException("gate metric must be one of " + RetrainConfig.METRICS + ", got " + metric);
    };
  }

  /**
   * Whether a candidate with {@code candidate} may replace a current model with {@code current}:
   * {@code candidate >= current - tolerance} for {@code successRate} (absolute), and
   * {@code candidate >= current - tolerance * |current|} for {@code meanReturn} (relative). Higher is
   * better for both.
   */
  public static boolean accepts(String metric, double tolerance, double candidate, double current) {
    double slack = "meanReturn".equals(metric) ? tolerance * Math.abs(current) : tolerance;
    return candidate >= current - slack;
  }

  /**
   * Decides on {@code candidatePolicy} (evaluated as {@code candidate}) against {@code models/current};
   * promotes it (copy into {@code current/}, {@code current.json}) when accepted or when there is no
   * current model, and records the decision in {@code promotion.json}.
   */
  public static GateDecision apply(Path models, Path candidatePolicy, EvalSummary candidate, RetrainConfig config) {
    String metric = config.gateMetric();
    double value = metricOf(candidate, metric);
    String sha = Hashing.sha256(candidatePolicy);
    Path currentJson = models.resolve(CURRENT_JSON);
    GateDecision d;
    if (!Files.isRegularFile(currentJson) || !Files.isDirectory(models.resolve(CURRENT))) {
      d = new GateDecision(true, "no current model", metric, config.gateTolerance(), value, null, candidate, null, sha);
    } else {
      CurrentModel cur = Json.read(currentJson, CurrentModel.class);
      double curValue = metricOf(cur.eval(), metric);
      boolean ok = accepts(metric, config.gateTolerance(), value, curValue);
      String reason = String.format("%s %.6g %s current %.6g (tolerance %.6g)", metric, value,
          ok ? "is not worse beyond tolerance than" : "is worse beyond tolerance than", curValue, config.gateTolerance());
      d = new GateDecision(ok, reason, metric, config.gateTolerance(), value, curValue, candidate, cur.eval(), sha);
    }
    if (d.promoted()) {
      Path staging = AtomicFiles.stagingDirFor(models.resolve(CURRENT));
      copyFiles(candidatePolicy, staging);
      AtomicFiles.publishDir(staging, models.resolve(CURRENT));
      Json.writeFile(currentJson, new CurrentModel(CurrentModel.FORMAT, CurrentModel.FORMAT_VERSION, sha, candidate));
    }
    Json.writeFile(models.resolve(DECISION_JSON), d);
    return d;
  }

  private static void copyFiles(Path from, Path to) {
    try (Stream<Path> files = Files.list(from)) {
      List<Path> list = files.filter(Files::isRegularFile).toList();
      for (Path f : list) {
        Files.copy(f, to.resolve(f.getFileName().toString()));
      }
    } catch (IOException e) {
      AtomicFiles.deleteRecursively(to);
      throw new UncheckedIOException("cannot copy policy " + from + ": " + e.getMessage(), e);
    }
  }
}
