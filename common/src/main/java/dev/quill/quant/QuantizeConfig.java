package dev.quill.quant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.quill.config.Checks;
import java.util.List;

/**
 * Which action tokenizer to fit and how. The keys a family does not use are ignored by it (for example
 * {@code codebookSize} by the bin families); {@link #TYPES} lists the families.
 *
 * @param type tokenizer family: {@code uniform} per-dimension uniform bins (Cao &amp; Xie 2026, Eq. 3);
 *     {@code quantile} equal-mass bins per dimension (Spark's QuantileDiscretizer semantics); {@code mulaw}
 *     mu-law companded bins (Gato, Reed et al. 2022, App. B); {@code kmeans} one k-means codebook over whole
 *     action vectors (BeT); {@code rvq} residual vector quantization, {@code stages} k-means codebooks on
 *     successive residuals (VQ-BeT's residual VQ, with k-means instead of a VAE)
 * @param numBins bins per action dimension for the bin families, in [2, 65536]
 * @param bounds where the bin range comes from for {@code uniform} and {@code mulaw}: {@code minmax} (dataset
 *     min/max) or {@code q01q99} (1st/99th percentiles, OpenVLA's BOUNDS_Q99; actions outside clip to the edge bins)
 * @param mu mu-law compression parameter (Gato: 100), in (0, 1e6]
 * @param codebookSize codes per k-means codebook (per stage for {@code rvq}), in [2, 65536]
 * @param stages codebooks of {@code rvq} (tokens per action), in [1, 8]; {@code kmeans} always uses one
 * @param kmeansIterations maximum Lloyd iterations of each k-means fit, in [1, 1000]
 * @param dither wrap the tokenizer in a subtractive dither seeded per state (see {@code quant.dither})
 */
public record QuantizeConfig(String type, int numBins, String bounds, double mu, int codebookSize, int stages,
    int kmeansIterations, boolean dither) implements java.io.Serializable {
  /** Allowed values of {@link #type()}. */
  public static final List<String> TYPES = List.of("uniform", "quantile", "mulaw", "kmeans", "rvq");
  /** Allowed values of {@link #bounds()}. */
  public static final List<String> BOUNDS = List.of("minmax", "q01q99");

  /** Validates every key. */
  public QuantizeConfig {
    Checks.oneOf("type", type, TYPES);
    Checks.inRange("numBins", numBins, 2, 65_536);
    Checks.oneOf("bounds", bounds, BOUNDS);
    Checks.inOpenClosed("mu", mu, 0, 1e6);
    Checks.inRange("codebookSize", codebookSize, 2, 65_536);
    Checks.inRange("stages", stages, 1, 8);
    Checks.inRange("kmeansIterations", kmeansIterations, 1, 1000);
  }

  /** A config of {@code type} with {@code numBins} and {@code bounds} and every other key at its default. */
  public static QuantizeConfig of(String type, int numBins, String bounds) {
    return new QuantizeConfig(type, numBins, bounds, 100.0, 256, 2, 20, false);
  }

  /** This config with {@code type} and {@code numBins} replaced (the audit's candidates). */
  public QuantizeConfig withTypeAndBins(String newType, int newNumBins) {
    return new QuantizeConfig(newType, newNumBins, bounds, mu, codebookSize, stages, kmeansIterations, dither);
  }

  /** Whether the family is a codebook over whole action vectors ({@code kmeans}, {@code rvq}). */
  @JsonIgnore
  public boolean isCodebook() {
    return "kmeans".equals(type) || "rvq".equals(type);
  }
}
