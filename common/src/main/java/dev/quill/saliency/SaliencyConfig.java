package dev.quill.saliency;

import dev.quill.config.Checks;
import dev.quill.task.image.ImageShape;
import java.util.List;

/**
 * How {@code saliency} scores states with the full-precision teacher (Park et al., ICCV 2025).
 *
 * @param perturbation {@code mean} (replace a feature with its dataset mean, the analogue of the official
 *     mean-colour occlusion), {@code gaussian} (add noise of {@code noiseScale} feature standard deviations),
 *     {@code patch-mean} (image observations: occlude a grid cell with the image's mean colour, the official
 *     code) or {@code patch-blur} (image observations: replace a grid cell by a Gaussian blur, the paper's text)
 * @param noiseScale noise scale of the Gaussian perturbation, in (0, 10]
 * @param topFraction fraction of states weighted by {@code beta} (highest SIS), in (0, 1)
 * @param beta distillation weight of the salient states, in [1, 100]
 * @param distance distance between the teacher's outputs at a state and at its perturbation, one of
 *     {@link SisDistance#NAMES} ({@code logitMse}, the official code's, by default)
 * @param grid cells per image side of the patch perturbations ({@code grid^2} locations), in [1, 64]
 * @param blurSigma standard deviation of {@code patch-blur}'s Gaussian blur in pixels, in (0, 64]
 */
public record SaliencyConfig(String perturbation, double noiseScale, double topFraction, double beta, String distance,
    int grid, double blurSigma) implements java.io.Serializable {
  /** Allowed values of {@link #perturbation()}. */
  public static final List<String> PERTURBATIONS = List.of("mean", "gaussian", "patch-mean", "patch-blur");

  /** Validates every key. */
  public SaliencyConfig {
    Checks.oneOf("perturbation", perturbation, PERTURBATIONS);
    Checks.inOpenClosed("noiseScale", noiseScale, 0, 10);
    Checks.check(topFraction > 0 && topFraction < 1, "topFraction", "topFraction must be in (0, 1), got " + topFraction);
    Checks.inRange("beta", beta, 1.0, 100.0);
    Checks.oneOf("distance", distance, SisDistance.NAMES);
    Checks.inRange("grid", grid, 1, 64);
    Checks.inOpenClosed("blurSigma", blurSigma, 0, 64);
  }

  /** Whether the perturbation is one of the image patch perturbations. */
  public boolean patchPerturbation() {
    return perturbation.startsWith("patch-");
  }

  /**
   * The configured perturbation.
   *
   * @param mean dataset mean of every state feature
   * @param std dataset standard deviation of every state feature
   * @param image the states' image shape, or {@code null} for state vectors
   * @param seed seed of the Gaussian perturbation
   * @throws IllegalArgumentException naming the key when a patch perturbation is asked for state vectors or the
   *     grid does not fit the image (the state perturbations also work on images, per pixel)
   */
  public StatePerturbation create(double[] mean, double[] std, ImageShape image, long seed) {
    if (patchPerturbation()) {
      if (image == null) {
        throw new IllegalArgumentException("saliency.perturbation " + perturbation
            + " needs image observations (task.observation: image), got state vectors");
      }
      if (grid > Math.min(image.height(), image.width())) {
        throw new IllegalArgumentException("saliency.grid must be in [1, " + Math.min(image.height(), image.width())
            + "] for " + image.height() + "x" + image.width() + " images, got " + grid);
      }
      return new PatchOcclusion(image, grid,
          perturbation.equals("patch-mean") ? PatchOcclusion.Mode.MEAN : PatchOcclusion.Mode.BLUR, blurSigma);
    }
    return perturbation.equals("gaussian")
        ? new GaussianPerturbation(std, noiseScale, seed)
        : MeanOcclusion.perFeature(mean);
  }
}
