package dev.quill.nn.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Learned step size quantization of activations (LSQ; Esser et al., "Learned Step Size Quantization", ICLR
 * 2020, Eqs. 1-5): with step {@code s > 0} and integer range {@code [-Q_N, Q_P]},
 * {@code v_hat = round(clip(v / s, -Q_N, Q_P)) * s}. Backward pass with the straight-through estimator for
 * the rounding: {@code dv_hat/dv = 1} if {@code -Q_N < v/s < Q_P}, else 0; {@code dv_hat/ds = round(v/s) - v/s}
 * inside the range, {@code -Q_N} below it, {@code Q_P} above it, written here as
 * {@code round(c) - 1[inside] * c} with {@code c = clip(v/s, -Q_N, Q_P)}. The step-size gradient is scaled by
 * {@code g = 1 / sqrt(N * Q_P)}, N = number of features of the quantized activation (Sec. 2.2). Unsigned
 * activations (after ReLU) use {@code Q_N = 0, Q_P = 2^b - 1}; signed ones {@code Q_N = 2^(b-1),
 * Q_P = 2^(b-1) - 1}. Pure functions: inputs are not modified.
 */
public final class LsqOps {
  private LsqOps() {}

  /** {@code Q_N} of a b-bit grid (b in [2, 16]). */
  public static int qN(int bits, boolean signed) {
    FakeQuantOps.maxLevel(bits);
    return signed ? 1 << (bits - 1) : 0;
  }

  /** {@code Q_P} of a b-bit grid (b in [2, 16]). */
  public static int qP(int bits, boolean signed) {
    FakeQuantOps.maxLevel(bits);
    return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  }

  /** The gradient scale {@code g = 1 / sqrt(N * Q_P)}. */
  public static double gradScale(long features, int bits, boolean signed) {
    return 1.0 / Math.sqrt((double) features * qP(bits, signed));
  }

  /** LSQ's initial step {@code 2 mean|v| / sqrt(Q_P)} from a sample of activations (1e-8 if all are zero). */
  public static double initialStep(INDArray sample, int bits, boolean signed) {
    double meanAbs = Transforms.abs(sample, true).meanNumber().doubleValue();
    return Math.max(2 * meanAbs / Math.sqrt(qP(bits, signed)), 1e-8);
  }

  /** The quantized activations {@code v_hat} (same shape and type as {@code v}). */
  public static INDArray forward(INDArray v, double s, int bits, boolean signed) {
    return Transforms.round(clipped(v, s, bits, signed), false).muli(s);
  }

  /**
   * Gradients of the loss with respect to {@code v} and {@code s}, given {@code eps = dL/dv_hat}.
   *
   * @param scale multiplier of the step-size gradient: {@link #gradScale} in training, 1 for gradient checks
   * @return {@code dL/dv} (same shape as {@code v}) and {@code scale * dL/ds}
   */
  public static Grad backward(INDArray v, double s, INDArray eps, int bits, boolean signed, double scale) {
    int qN = qN(bits, signed);
    int qP = qP(bits, signed);
    INDArray x = v.div(s);
    INDArray inside = x.gt(-qN).castTo(v.dataType()).muli(x.lt(qP).castTo(v.dataType()));
    INDArray c = Transforms.max(Transforms.min(x, qP, false), -qN, false);
    INDArray dvds = Transforms.round(c, true).subi(c.muli(inside));
    double ds = eps.mul(dvds).sumNumber().doubleValue() * scale;
    return new Grad(eps.mul(inside), ds);
  }

  /**
   * Backward pass of LSQ.
   *
   * @param dv gradient with respect to the input activations
   * @param ds (scaled) gradient with respect to the step size
   */
  public record Grad(INDArray dv, double ds) {}

  private static INDArray clipped(INDArray v, double s, int bits, boolean signed) {
    if (!(s > 0)) {
      throw new IllegalArgumentException("LSQ step size must be > 0, got " + s);
    }
    INDArray x = v.div(s);
    return Transforms.max(Transforms.min(x, qP(bits, signed), false), -qN(bits, signed), false);
  }
}
