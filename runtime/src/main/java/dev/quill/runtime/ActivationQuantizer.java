package dev.quill.runtime;

/**
 * Learned-step-size activation quantization (LSQ; Esser et al., "Learned Step Size Quantization", ICLR 2020,
 * Eq. 1) as Quill's {@code LsqOps.forward} computes it in float: {@code v_hat = round(clip(v / s, -Q_N, Q_P)) * s}
 * with {@code Q_N = 0, Q_P = 2^b - 1} (unsigned, after ReLU) or {@code Q_N = 2^(b-1), Q_P = 2^(b-1) - 1}
 * (signed). Every operation is a float operation in ND4J's order: {@code v / s}, then {@code min(., Q_P)},
 * then {@code max(., -Q_N)}, then rounding half away from zero (C's {@code roundf}, ND4J's {@code round}),
 * then {@code * s}; so the result is bit for bit the DL4J LSQ layer's output. Immutable and thread-safe;
 * {@link #apply} allocates nothing.
 */
public final class ActivationQuantizer {
  private final int bits;
  private final boolean signed;
  private final float step;
  private final float low;
  private final float high;

  /**
   * A {@code bits}-bit quantizer (2 to 16) with step {@code step} (finite, > 0).
   *
   * @throws IllegalArgumentException naming the value and the allowed range
   */
  public ActivationQuantizer(int bits, boolean signed, float step) {
    if (bits < 2 || bits > 16) {
      throw new IllegalArgumentException("activation quantizer: bits = " + bits + ", allowed 2 to 16");
    }
    if (!(step > 0) || Float.isInfinite(step)) {
      throw new IllegalArgumentException("activation quantizer: step = " + step + ", must be finite and > 0");
    }
    this.bits = bits;
    this.signed = signed;
    this.step = step;
    this.low = -(float) qN();
    this.high = qP();
  }

  /** Bit width. */
  public int bits() {
    return bits;
  }

  /** Whether the grid is signed. */
  public boolean signed() {
    return signed;
  }

  /** Step size {@code s}. */
  public float step() {
    return step;
  }

  /** {@code Q_N}: the integer range is {@code [-Q_N, Q_P]}. */
  public int qN() {
    return signed ? 1 << (bits - 1) : 0;
  }

  /** {@code Q_P}: the integer range is {@code [-Q_N, Q_P]}. */
  public int qP() {
    return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  }

  /** Quantizes {@code y[0..n)} in place. */
  public void apply(float[] y, int n) {
    final float s = step;
    for (int o = 0; o < n; o++) {
      float x = y[o] / s;
      x = x < high ? x : high;
      x = x > low ? x : low;
      y[o] = roundHalfAway(x) * s;
    }
  }

  /** The integer level {@code round(clip(v / s, -Q_N, Q_P))} of one value. */
  public int level(float v) {
    float x = v / step;
    x = x < high ? x : high;
    x = x > low ? x : low;
    return (int) roundHalfAway(x);
  }

  /** C's {@code roundf}: nearest integer, halves away from zero (exact: {@code a - floor(a)} has no rounding error). */
  static float roundHalfAway(float x) {
    float a = Math.abs(x);
    float f = (float) Math.floor(a);
    if (a - f >= 0.5f) {
      f += 1f;
    }
    return Math.copySign(f, x);
  }

  @Override
  public String toString() {
    return (signed ? "int" : "uint") + bits + " step " + step;
  }
}
