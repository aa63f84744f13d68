package dev.quill.saliency;

import java.util.SplittableRandom;

/**
 * Gaussian-noise variant of {@code phi}: feature {@code k} gets noise of standard deviation
 * {@code scale * std_k}; the noise of (state, k) is drawn from a stream seeded by the state's values, the
 * seed and {@code k}, so scores are reproducible and independent of batching.
 */
public final class GaussianPerturbation implements StatePerturbation {
  private static final long serialVersionUID = 1L;
  private final double[] std;
  private final double scale;
  private final long seed;

  /** Noise of {@code scale} times each feature's dataset standard deviation. */
  public GaussianPerturbation(double[] std, double scale, long seed) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scale must be > 0, got " + scale);
    }
    this.std = std.clone();
    this.scale = scale;
    this.seed = seed;
  }

  @Override
  public int locations() {
    return std.length;
  }

  @Override
  public double[] apply(double[] state, int k) {
    long h = seed * 31 + k;
    for (double v : state) {
      h = h * 1_000_003 + Double.doubleToLongBits(v);
    }
    SplittableRandom rng = new SplittableRandom(h);
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    double z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    double[] out = state.clone();
    out[k] += scale * std[k] * z;
    return out;
  }
}
