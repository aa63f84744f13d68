package dev.quill.quant.audit;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The space the audit's nearest-neighbour search works in: standardized states as they are, or, for
 * states wider than {@code audit.projectionDim} (image observations), their Gaussian random projection
 * {@code y = R z} with {@code R[i][j] ~ N(0, 1/k)} drawn from a seed (Johnson &amp; Lindenstrauss 1984;
 * Dasgupta &amp; Gupta 2003: for {@code n} points, {@code k = O(log n / eps^2)} dimensions keep every pairwise
 * distance within a factor {@code 1 +- eps} with high probability). Distances are preserved only
 * approximately, so a neighbour found in the projection may not be the exact nearest one in the full space;
 * README, "Tokenizers and the audit", reports the effect. Immutable.
 */
public final class StateProjection implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int inDim;
  private final int outDim;
  private final float[] matrix;

  private StateProjection(int inDim, int outDim, float[] matrix) {
    this.inDim = inDim;
    this.outDim = outDim;
    this.matrix = matrix;
  }

  /**
   * The projection for {@code stateDim}-dimensional states: the identity when {@code projectionDim} is 0 or
   * at least {@code stateDim}, else a {@code projectionDim x stateDim} Gaussian matrix drawn from {@code seed}.
   */
  public static StateProjection of(int stateDim, int projectionDim, long seed) {
    if (projectionDim <= 0 || projectionDim >= stateDim) {
      return new StateProjection(stateDim, stateDim, null);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] m = new float[projectionDim * stateDim];
    double scale = 1.0 / Math.sqrt(projectionDim);
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) (gaussian(rng) * scale);
    }
    return new StateProjection(stateDim, projectionDim, m);
  }

  private static double gaussian(SplittableRandom rng) {
    double u = 1.0 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Whether states are used as they are. */
  public boolean isIdentity() {
    return matrix == null;
  }

  /** Dimension of the projected states. */
  public int outDim() {
    return outDim;
  }

  /** The projection of {@code z} (a standardized state; returned itself for the identity). */
  public double[] apply(double[] z) {
    if (z.length != inDim) {
      throw new IllegalArgumentException("state of dimension " + z.length + ", expected " + inDim);
    }
    if (matrix == null) {
      return z;
    }
    double[] y = new double[outDim];
    for (int i = 0; i < outDim; i++) {
      int row = i * inDim;
      double s = 0;
      for (int j = 0; j < inDim; j++) {
        s += matrix[row + j] * z[j];
      }
      y[i] = s;
    }
    return y;
  }
}
