package dev.quill.saliency;

import dev.quill.config.Checks;
import java.util.List;

/**
 * How {@code saliency} scores states with the full-precision teacher (Park et al., ICCV 2025).
 *
 * @param perturbation {@code mean} (replace a feature with its dataset mean, the analogue of the official
 *     mean-colour occlusion) or {@code gaussian} (add noise of {@code noiseScale} feature standard deviations)
 * @param noiseScale noise scale of the Gaussian perturbation, in (0, 10]
 * @param topFraction fraction of states weighted by {@code beta} (highest SIS), in (0, 1)
 * @param beta distillation weight of the salient states, in [1, 100]
 * @param distance distance between the teacher's outputs at a state and at its perturbation, one of
 *     {@link SisDistance#NAMES} ({@code logitMse}, the official code's, by default)
 */
public record SaliencyConfig(String perturbation, double noiseScale, double topFraction, double beta, String distance)
    implements java.io.Serializable {
  /** Allowed values of {@link #perturbation()}. */
  public static final List<String> PERTURBATIONS = List.of("mean", "gaussian");

  /** Validates every key. */
  public SaliencyConfig {
    Checks.oneOf("perturbation", perturbation, PERTURBATIONS);
    Checks.inOpenClosed("noiseScale", noiseScale, 0, 10);
    Checks.check(topFraction > 0 && topFraction < 1, "topFraction", "topFraction must be in (0, 1), got " + topFraction);
    Checks.inRange("beta", beta, 1.0, 100.0);
    Checks.oneOf("distance", distance, SisDistance.NAMES);
  }
}
