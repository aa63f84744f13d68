package dev.quill.quant.dither;

import dev.quill.quant.ActionTokenizer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Subtractive dither around any tokenizer: in state {@code x} a dither {@code u(x)} with
 * {@code u_j ~ U(-h_j, h_j)} is drawn from a generator seeded by {@code (seed, x)}; the token is
 * {@code base.encode(a + u)} and decoding returns {@code base.decode(t) - u}. Because the same state gives
 * the same dither at encode and decode time, the pair is a valid quantizer of each state's action, but the
 * quantized action of a deterministic expert becomes a random variable over states: Cao &amp; Xie (2026)
 * treat a deterministic expert and a stochastic quantized expert differently (their Theorem 2 needs only
 * the stochastic expert's smoothness), and dithering turns the first into the second. With {@code h_j}
 * equal to half of a uniform bin width the decoded error is uniform on {@code [-h_j, h_j]} and independent
 * of the action (Schuchman 1964). The one-argument {@link #encode(double[])} / {@link #decode(int[])} have
 * no state to seed from and are the undithered base quantizer.
 *
 * <p>Immutable and thread-safe; the dither is a pure function of the seed and the state's bits.
 */
public final class DitheredTokenizer implements ActionTokenizer {
  private static final long serialVersionUID = 1L;
  /** Type name used in the tokenizer file. */
  public static final String TYPE = "dithered";

  private final ActionTokenizer base;
  private final double[] halfWidth;
  private final long seed;

  /**
   * Wraps {@code base}.
   *
   * @param base the quantizer that is dithered (not itself dithered)
   * @param halfWidth per action dimension, the dither's half range {@code h_j >= 0}
   * @param seed seed of the per-state dither
   */
  public DitheredTokenizer(ActionTokenizer base, double[] halfWidth, long seed) {
    if (base instanceof DitheredTokenizer) {
      throw new IllegalArgumentException("a dithered tokenizer cannot be dithered again");
    }
    if (halfWidth.length != base.actionDim()) {
      throw new IllegalArgumentException("halfWidth has length " + halfWidth.length + ", the base tokenizer has "
          + base.actionDim() + " action dimensions");
    }
    for (int j = 0; j < halfWidth.length; j++) {
      if (!(halfWidth[j] >= 0 && Double.isFinite(halfWidth[j]))) {
        throw new IllegalArgumentException("dither half width of action dimension " + j + " must be finite and >= 0, got "
            + halfWidth[j]);
      }
    }
    this.base = base;
    this.halfWidth = halfWidth.clone();
    this.seed = seed;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The undithered quantizer. */
  public ActionTokenizer base() {
    return base;
  }

  /** Dither half widths (a copy). */
  public double[] halfWidth() {
    return halfWidth.clone();
  }

  /** Seed of the per-state dither. */
  public long seed() {
    return seed;
  }

  @Override
  public int actionDim() {
    return base.actionDim();
  }

  @Override
  public int numHeads() {
    return base.numHeads();
  }

  @Override
  public int vocabSize(int head) {
    return base.vocabSize(head);
  }

  @Override
  public boolean exactRoundTrip() {
    return base.exactRoundTrip();
  }

  @Override
  public int[] encode(double[] action) {
    return base.encode(action);
  }

  @Override
  public double[] decode(int[] tokens) {
    return base.decode(tokens);
  }

  @Override
  public int[] encode(double[] state, double[] action) {
    if (action.length != halfWidth.length) {
      throw new IllegalArgumentException("action has length " + action.length + ", tokenizer expects " + halfWidth.length);
    }
    double[] u = dither(state);
    double[] shifted = new double[action.length];
    for (int j = 0; j < action.length; j++) {
      if (!Double.isFinite(action[j])) {
        throw new IllegalArgumentException("action dimension " + j + " is " + action[j] + "; actions must be finite");
      }
      shifted[j] = action[j] + u[j];
    }
    return base.encode(shifted);
  }

  @Override
  public double[] decode(double[] state, int[] tokens) {
    double[] a = base.decode(tokens);
    double[] u = dither(state);
    for (int j = 0; j < a.length; j++) {
      a[j] -= u[j];
    }
    return a;
  }

  /** The dither of {@code state}: {@code u_j} uniform on {@code [-h_j, h_j]}, a pure function of seed and state. */
  public double[] dither(double[] state) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (double v : state) {
      h = Long.rotateLeft(h ^ Double.doubleToLongBits(v == 0.0 ? 0.0 : v), 27) * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    }
    SplittableRandom rng = new SplittableRandom(h);
    double[] u = new double[halfWidth.length];
    for (int j = 0; j < u.length; j++) {
      u[j] = halfWidth[j] * (2 * rng.nextDouble() - 1);
    }
    return u;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DitheredTokenizer other && seed == other.seed && base.equals(other.base)
        && Arrays.equals(halfWidth, other.halfWidth);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * base.hashCode() + Arrays.hashCode(halfWidth)) + Long.hashCode(seed);
  }

  @Override
  public String toString() {
    return "DitheredTokenizer(" + base + ", halfWidth=" + Arrays.toString(halfWidth) + ", seed=" + seed + ")";
  }
}
