package dev.quill.spark;

import java.nio.file.Path;

/**
 * Where each stage of a run reads and writes, under one run directory ({@code runs/<name>} by default).
 *
 * @param root the run directory
 */
public record RunLayout(Path root) {

  /** The layout of run directory {@code root} (made absolute). */
  public RunLayout {
    root = root.toAbsolutePath().normalize();
  }

  /** Generated demonstrations (LeRobot-style Parquet + meta). */
  public Path demos() {
    return root.resolve("demos");
  }

  /** The canonical, validated dataset. */
  public Path dataset() {
    return root.resolve("dataset");
  }

  /** Quarantine report and rejected rows. */
  public Path quarantine() {
    return root.resolve("quarantine");
  }

  /** Normalization statistics. */
  public Path stats() {
    return root.resolve("stats.json");
  }

  /** Fitted tokenizer and its report. */
  public Path quantize() {
    return root.resolve("quantize");
  }

  /** The fitted tokenizer file. */
  public Path tokenizer() {
    return quantize().resolve("tokenizer.json");
  }

  /** The quantizer audit's report folder. */
  public Path audit() {
    return root.resolve("audit");
  }

  /** The trained policy directory. */
  public Path policy() {
    return root.resolve("policy");
  }

  /** Per-epoch checkpoints. */
  public Path checkpoints() {
    return root.resolve("checkpoints");
  }

  /** Evaluation report folder. */
  public Path eval() {
    return root.resolve("eval");
  }

  /** The token-conditioned dynamics model ({@code quill dynamics}). */
  public Path dynamics() {
    return root.resolve("dynamics");
  }

  /** Saliency scores (SQIL). */
  public Path saliency() {
    return root.resolve("saliency");
  }

  /** Low-bit students, one policy directory per method. */
  public Path qat() {
    return root.resolve("qat");
  }

  /** Scratch space (training export files); safe to delete after a run. */
  public Path scratch() {
    return root.resolve(".scratch");
  }

  /** Run manifest. */
  public Path manifest() {
    return root.resolve("manifest.json");
  }

  /** Run metrics. */
  public Path metrics() {
    return root.resolve("metrics.json");
  }

  /** Per-stage manifests of {@code quill pipeline} (inputs, config and outputs of each stage's last run). */
  public Path stages() {
    return root.resolve("stages");
  }

  /** Promoted models: {@code current/}, {@code current.json}, {@code promotion.json}. */
  public Path models() {
    return root.resolve("models");
  }

  /** The HTML run report. */
  public Path report() {
    return root.resolve("report.html");
  }
}
