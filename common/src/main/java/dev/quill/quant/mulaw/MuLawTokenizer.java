package dev.quill.quant.mulaw;

import dev.quill.quant.ActionTokenizer;
import java.util.Arrays;

/**
 * Mu-law companded bins per action dimension (Gato, Reed et al. 2022, App. B: continuous values are mu-law
 * encoded to [-1, 1] with mu = 100, then split into uniform bins). Dimension {@code j} is scaled by
 * {@code s_j = max(|low_j|, |high_j|)} to {@code z = clamp(a / s_j, -1, 1)}, companded to
 * {@code c = sign(z) ln(1 + mu |z|) / ln(1 + mu)}, and {@code c} is split into {@code B} uniform bins on
 * [-1, 1]; a token decodes to its bin centre {@code c_t = -1 + (t + 0.5) 2 / B} mapped back by
 * {@code z = sign(c) ((1 + mu)^|c| - 1) / mu}. Bins are fine near zero action and coarse near the edges.
 * Gato's {@code M = 256} is the range of its raw, unnormalized values; Quill scales the dataset's range to
 * [-1, 1] first, which is Gato's formula with {@code M = 1}. A dimension with {@code s_j = 0} decodes
 * every token to 0.
 *
 * <p>Immutable and thread-safe.
 */
public final class MuLawTokenizer implements ActionTokenizer {
  private static final long serialVersionUID = 1L;
  /** Type name used in the tokenizer file. */
  public static final String TYPE = "mulaw";

  private final int numBins;
  private final double mu;
  private final double[] scale;
  private final double logOnePlusMu;

  /**
   * Creates a tokenizer.
   *
   * @param numBins bins per dimension, in [2, 65536]
   * @param mu compression, in (0, 1e6]
   * @param scale per-dimension scale {@code s_j >= 0}, finite
   */
  public MuLawTokenizer(int numBins, double mu, double[] scale) {
    if (numBins < 2 || numBins > 65_536) {
      throw new IllegalArgumentException("numBins must be in [2, 65536], got " + numBins);
    }
    if (!(mu > 0 && mu <= 1e6)) {
      throw new IllegalArgumentException("mu must be in (0, 1e6], got " + mu);
    }
    if (scale.length == 0) {
      throw new IllegalArgumentException("scale must have at least one dimension");
    }
    for (int j = 0; j < scale.length; j++) {
      if (!(Double.isFinite(scale[j]) && scale[j] >= 0)) {
        throw new IllegalArgumentException("scale of action dimension " + j + " must be finite and >= 0, got " + scale[j]);
      }
    }
    this.numBins = numBins;
    this.mu = mu;
    this.scale = scale.clone();
    this.logOnePlusMu = Math.log1p(mu);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int actionDim() {
    return scale.length;
  }

  @Override
  public int numHeads() {
    return scale.length;
  }

  @Override
  public int vocabSize(int head) {
    return numBins;
  }

  /** Bins per dimension. */
  public int numBins() {
    return numBins;
  }

  /** The compression parameter mu. */
  public double mu() {
    return mu;
  }

  /** Per-dimension scales (a copy). */
  public double[] scale() {
    return scale.clone();
  }

  @Override
  public int[] encode(double[] action) {
    if (action.length != scale.length) {
      throw new IllegalArgumentException("action has length " + action.length + ", tokenizer expects " + scale.length);
    }
    int[] tokens = new int[scale.length];
    for (int j = 0; j < scale.length; j++) {
      double a = action[j];
      if (!Double.isFinite(a)) {
        throw new IllegalArgumentException("action dimension " + j + " is " + a + "; actions must be finite");
      }
      double z = scale[j] == 0 ? 0 : Math.max(-1, Math.min(1, a / scale[j]));
      double c = Math.signum(z) * Math.log1p(mu * Math.abs(z)) / logOnePlusMu;
      tokens[j] = (int) Math.max(0, Math.min(numBins - 1, Math.floor((c + 1) / 2 * numBins)));
    }
    return tokens;
  }

  @Override
  public double[] decode(int[] tokens) {
    if (tokens.length != scale.length) {
      throw new IllegalArgumentException("got " + tokens.length + " tokens, tokenizer expects " + scale.length);
    }
    double[] action = new double[scale.length];
    for (int j = 0; j < scale.length; j++) {
      action[j] = scale[j] * expand(j, tokens[j], 0.5);
    }
    return action;
  }

  /** Edge {@code i} (in [0, B]) of dimension {@code j}'s bins, in action units. */
  public double edge(int j, int i) {
    if (i < 0 || i > numBins) {
      throw new IllegalArgumentException("edge index must be in [0, " + numBins + "], got " + i);
    }
    return scale[j] * uncompand(-1 + 2.0 * i / numBins);
  }

  private double expand(int j, int t, double within) {
    if (t < 0 || t >= numBins) {
      throw new IllegalArgumentException("token of dimension " + j + " must be in [0, " + (numBins - 1) + "], got " + t);
    }
    return uncompand(-1 + (t + within) * 2 / numBins);
  }

  private double uncompand(double c) {
    return Math.signum(c) * Math.expm1(Math.abs(c) * logOnePlusMu) / mu;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MuLawTokenizer other && numBins == other.numBins && mu == other.mu
        && Arrays.equals(scale, other.scale);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * numBins + Double.hashCode(mu)) + Arrays.hashCode(scale);
  }

  @Override
  public String toString() {
    return "MuLawTokenizer(numBins=" + numBins + ", mu=" + mu + ", scale=" + Arrays.toString(scale) + ")";
  }
}
