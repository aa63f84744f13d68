package dev.quill.quant.uniform;

import dev.quill.quant.ActionTokenizer;
import java.util.Arrays;

/**
 * Per-dimension uniform binning (Cao &amp; Xie 2026, "Equation 3"; RT-1/OpenVLA-style action bins).
 * Dimension {@code j} is split into {@code numBins} bins of width {@code w_j = (high_j - low_j) / numBins};
 * the token is {@code clamp(floor((a_j - low_j) / w_j), 0, numBins - 1)} and decoding returns the bin
 * centre {@code low_j + (t + 0.5) w_j}, so the reconstruction error inside the bounds is at most
 * {@code w_j / 2}. A dimension with {@code high_j == low_j} has one effective value: every action encodes
 * to token 0 and decodes to {@code low_j}.
 *
 * <p>Immutable and thread-safe.
 */
public final class UniformBinTokenizer implements ActionTokenizer {
  private static final long serialVersionUID = 1L;
  /** Type name used in the tokenizer file. */
  public static final String TYPE = "uniform";

  private final int numBins;
  private final double[] low;
  private final double[] high;
  private final double[] width;

  /**
   * Creates a tokenizer from explicit bounds.
   *
   * @throws IllegalArgumentException if the arrays differ in length, a bound is not finite, or
   *     {@code high < low} for some dimension
   */
  public UniformBinTokenizer(int numBins, double[] low, double[] high) {
    if (numBins < 2) {
      throw new IllegalArgumentException("numBins must be in [2, 65536], got " + numBins);
    }
    if (low.length != high.length || low.length == 0) {
      throw new IllegalArgumentException("low and high must have the same non-zero length, got " + low.length + " and " + high.length);
    }
    this.numBins = numBins;
    this.low = low.clone();
    this.high = high.clone();
    this.width = new double[low.length];
    for (int j = 0; j < low.length; j++) {
      if (!Double.isFinite(low[j]) || !Double.isFinite(high[j]) || high[j] < low[j]) {
        throw new IllegalArgumentException("bounds of action dimension " + j + " must be finite with low <= high, got ["
            + low[j] + ", " + high[j] + "]");
      }
      width[j] = (high[j] - low[j]) / numBins;
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int actionDim() {
    return low.length;
  }

  @Override
  public int numHeads() {
    return low.length;
  }

  @Override
  public int vocabSize(int head) {
    return numBins;
  }

  /** Bins per dimension. */
  public int numBins() {
    return numBins;
  }

  /** Lower bounds (a copy). */
  public double[] low() {
    return low.clone();
  }

  /** Upper bounds (a copy). */
  public double[] high() {
    return high.clone();
  }

  /** Bin width of dimension {@code j}; the worst-case reconstruction error inside the bounds is half of it. */
  public double binWidth(int j) {
    return width[j];
  }

  @Override
  public int[] encode(double[] action) {
    if (action.length != low.length) {
      throw new IllegalArgumentException("action has length " + action.length + ", tokenizer expects " + low.length);
    }
    int[] tokens = new int[low.length];
    for (int j = 0; j < low.length; j++) {
      tokens[j] = encodeDim(j, action[j]);
    }
    return tokens;
  }

  /** Token of value {@code a} in dimension {@code j}. */
  public int encodeDim(int j, double a) {
    if (!Double.isFinite(a)) {
      throw new IllegalArgumentException("action dimension " + j + " is " + a + "; actions must be finite");
    }
    if (width[j] == 0.0) {
      return 0;
    }
    double idx = Math.floor((a - low[j]) / width[j]);
    return (int) Math.max(0, Math.min(numBins - 1, idx));
  }

  @Override
  public double[] decode(int[] tokens) {
    if (tokens.length != low.length) {
      throw new IllegalArgumentException("got " + tokens.length + " tokens, tokenizer expects " + low.length);
    }
    double[] action = new double[low.length];
    for (int j = 0; j < low.length; j++) {
      action[j] = decodeDim(j, tokens[j]);
    }
    return action;
  }

  /** Bin centre of token {@code t} in dimension {@code j}. */
  public double decodeDim(int j, int t) {
    if (t < 0 || t >= numBins) {
      throw new IllegalArgumentException("token of dimension " + j + " must be in [0, " + (numBins - 1) + "], got " + t);
    }
    return width[j] == 0.0 ? low[j] : low[j] + (t + 0.5) * width[j];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UniformBinTokenizer other && numBins == other.numBins
        && Arrays.equals(low, other.low) && Arrays.equals(high, other.high);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * numBins + Arrays.hashCode(low)) + Arrays.hashCode(high);
  }

  @Override
  public String toString() {
    return "UniformBinTokenizer(numBins=" + numBins + ", low=" + Arrays.toString(low) + ", high=" + Arrays.toString(high) + ")";
  }
}
