package dev.quill.runtime;

import java.util.Arrays;

/**
 * State normalization as in training: {@code z_i = (float) ((x_i - mean_i) / s_i)} with {@code s_i = std_i}
 * when {@code std_i > 1e-8}, else 1 (only centred), computed in double and rounded to float exactly like
 * Quill's {@code FeatureStats.normalize}. Immutable.
 */
public final class Normalizer {
  private final double[] mean;
  private final double[] std;
  private final double[] divisor;

  /** Statistics of each state dimension (arrays of equal, non-zero length; finite values). */
  public Normalizer(double[] mean, double[] std) {
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException("normalizer: mean and std must have the same non-zero length, got "
          + mean.length + " and " + std.length);
    }
    this.mean = mean.clone();
    this.std = std.clone();
    this.divisor = new double[mean.length];
    for (int i = 0; i < mean.length; i++) {
      if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i])) {
        throw new IllegalArgumentException("normalizer: state dimension " + i + " has non-finite mean " + mean[i]
            + " or std " + std[i]);
      }
      divisor[i] = std[i] > 1e-8 ? std[i] : 1.0;
    }
  }

  /** State dimension. */
  public int dim() {
    return mean.length;
  }

  /** Copy of the means. */
  public double[] mean() {
    return mean.clone();
  }

  /** Copy of the standard deviations as stored (before the 1e-8 rule). */
  public double[] std() {
    return std.clone();
  }

  /** Writes the normalized {@code state} into {@code out[0..dim)}; allocates nothing. */
  public void normalize(double[] state, float[] out) {
    for (int i = 0; i < mean.length; i++) {
      out[i] = (float) ((state[i] - mean[i]) / divisor[i]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalizer n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }
}
