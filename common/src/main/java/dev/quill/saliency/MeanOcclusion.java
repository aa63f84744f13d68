package dev.quill.saliency;

/**
 * The state-vector analogue of the official SQIL code's mean-colour patch occlusion: location {@code k}
 * is a group of features (one feature, or e.g. one joint's position and velocity) replaced by their
 * dataset means (papers.md 2(b), suggested analogue for MuJoCo-style states).
 */
public final class MeanOcclusion implements StatePerturbation {
  private static final long serialVersionUID = 1L;
  private final double[] mean;
  private final int[][] groups;

  /**
   * Occlusion of the given feature groups.
   *
   * @param mean dataset mean of every state feature
   * @param groups for each location, the feature indices it replaces
   */
  public MeanOcclusion(double[] mean, int[][] groups) {
    for (int[] g : groups) {
      for (int f : g) {
        if (f < 0 || f >= mean.length) {
          throw new IllegalArgumentException("feature index " + f + " is outside the state (dimension " + mean.length + ")");
        }
      }
    }
    this.mean = mean.clone();
    this.groups = groups.clone();
  }

  /** One location per feature. */
  public static MeanOcclusion perFeature(double[] mean) {
    int[][] groups = new int[mean.length][];
    for (int i = 0; i < mean.length; i++) {
      groups[i] = new int[] {i};
    }
    return new MeanOcclusion(mean, groups);
  }

  @Override
  public int locations() {
    return groups.length;
  }

  @Override
  public double[] apply(double[] state, int k) {
    double[] out = state.clone();
    for (int f : groups[k]) {
      out[f] = mean[f];
    }
    return out;
  }
}
