package dev.quill.runtime;

/**
 * Subtractive dither ({@code dithered} tokenizer, Schuchman 1964): {@code a = base(t) - u(x)} with
 * {@code u_j(x) = h_j (2 U_j - 1)}, where {@code U_j} are the successive {@code nextDouble()} values of a
 * {@link java.util.SplittableRandom} seeded by a hash of the seed and the raw state. This reproduces Quill's
 * {@code DitheredTokenizer.dither} bit for bit without allocating: the hash, {@code SplittableRandom}'s
 * golden-gamma increment and its {@code mix64} finalizer (JDK 17 sources) are inlined; a unit test pins the
 * equality against {@code java.util.SplittableRandom}.
 */
public final class DitheredDecoder implements ActionDecoder {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private static final double DOUBLE_UNIT = 0x1.0p-53;

  private final ActionDecoder base;
  private final double[] halfWidth;
  private final long seed;

  /** Wraps {@code base} with half widths {@code h_j >= 0} (one per action dimension) and the dither seed. */
  public DitheredDecoder(ActionDecoder base, double[] halfWidth, long seed) {
    if (halfWidth.length != base.actionDim()) {
      throw new IllegalArgumentException("dithered decoder: " + halfWidth.length + " half widths for "
          + base.actionDim() + " action dimensions");
    }
    this.base = base;
    this.halfWidth = halfWidth.clone();
    this.seed = seed;
  }

  /** The undithered decoder. */
  public ActionDecoder base() {
    return base;
  }

  /** Half widths (copy). */
  public double[] halfWidth() {
    return halfWidth.clone();
  }

  /** Dither seed. */
  public long seed() {
    return seed;
  }

  @Override
  public String type() {
    return "dithered";
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
  public void decode(int[] tokens, float[] headOutputs, double[] state, double[] action) {
    base.decode(tokens, headOutputs, state, action);
    long rng = stateSeed(seed, state);
    for (int j = 0; j < halfWidth.length; j++) {
      rng += GOLDEN_GAMMA;
      action[j] -= halfWidth[j] * (2 * ((mix64(rng) >>> 11) * DOUBLE_UNIT) - 1);
    }
  }

  /** The seed of the state's generator: Quill's hash of (seed, state). */
  static long stateSeed(long seed, double[] state) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (double v : state) {
      h = Long.rotateLeft(h ^ Double.doubleToLongBits(v == 0.0 ? 0.0 : v), 27) * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    }
    return h;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
