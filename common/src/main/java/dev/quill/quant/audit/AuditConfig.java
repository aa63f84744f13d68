package dev.quill.quant.audit;

import dev.quill.config.Checks;
import dev.quill.quant.QuantizeConfig;
import java.util.List;

/**
 * Settings of {@code quill audit}: which candidate tokenizers to audit beside the configured one, the
 * smoothness threshold and the rules of the recommendation.
 *
 * @param types bin families to audit as candidates, each of {@code uniform}, {@code quantile}, {@code mulaw}
 *     (codebooks are audited when they are the configured tokenizer)
 * @param numBins bins per dimension of the candidates, each in [2, 65536]
 * @param k smoothness threshold in units of eps_q: a pair of nearby states violates when quantization adds
 *     more than {@code k * epsMean_j} to the action jump in some dimension j (Cao &amp; Xie 2026, RTVC
 *     threshold k·eps_q), in (0, 1000]
 * @param neighbourSamples training states whose nearest neighbour (other episodes, normalized state space)
 *     is paired with them, in [0, 100000]
 * @param maxViolationRate largest smoothness violation rate a recommended tokenizer may have, in [0, 1]
 * @param minExamplesPerCode fewest training actions per used code (per head) a recommended tokenizer
 *     may have, in [0, 1e9]
 * @param projectionDim states with more dimensions (image observations) are searched for neighbours in a
 *     seeded Gaussian random projection to this many dimensions ({@link StateProjection}); 0 = never,
 *     in [0, 4096]
 */
public record AuditConfig(List<String> types, List<Integer> numBins, double k, int neighbourSamples,
    double maxViolationRate, double minExamplesPerCode, int projectionDim) implements java.io.Serializable {
  /** Default of {@code audit.projectionDim}. */
  public static final int DEFAULT_PROJECTION_DIM = 64;
  /** Families allowed as candidates. */
  public static final List<String> CANDIDATE_TYPES = List.of("uniform", "quantile", "mulaw");

  /** Validates every key. */
  @com.fasterxml.jackson.annotation.JsonCreator
  public AuditConfig {
    Checks.present("types", types);
    Checks.present("numBins", numBins);
    for (String t : types) {
      Checks.oneOf("types", t, CANDIDATE_TYPES);
    }
    for (Integer b : numBins) {
      Checks.check(b != null, "numBins", "numBins must not contain null");
      Checks.inRange("numBins", b, 2, 65_536);
    }
    types = List.copyOf(types);
    numBins = List.copyOf(numBins);
    Checks.inOpenClosed("k", k, 0, 1000);
    Checks.inRange("neighbourSamples", neighbourSamples, 0, 100_000);
    Checks.inRange("maxViolationRate", maxViolationRate, 0, 1);
    Checks.inRange("minExamplesPerCode", minExamplesPerCode, 0, 1e9);
    Checks.inRange("projectionDim", projectionDim, 0, 4096);
  }

  /** The settings with the default {@code projectionDim}. */
  public AuditConfig(List<String> types, List<Integer> numBins, double k, int neighbourSamples, double maxViolationRate,
      double minExamplesPerCode) {
    this(types, numBins, k, neighbourSamples, maxViolationRate, minExamplesPerCode, DEFAULT_PROJECTION_DIM);
  }

  /** The candidate configs: every type x numBins, other keys from {@code base}. */
  public List<QuantizeConfig> candidates(QuantizeConfig base) {
    return types.stream().flatMap(t -> numBins.stream().map(b -> base.withTypeAndBins(t, b))).toList();
  }
}
