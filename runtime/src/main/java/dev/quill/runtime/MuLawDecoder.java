package dev.quill.runtime;

/**
 * Mu-law bins ({@code mulaw} tokenizer, Gato): B uniform bins on the companded value
 * {@code c = sign(z) ln(1 + mu|z|) / ln(1 + mu)}; token {@code t} decodes to
 * {@code scale_j * sign(c) expm1(|c| ln(1 + mu)) / mu} at the bin centre {@code c = -1 + (t + 0.5) 2 / B}.
 * The centres are tabulated at construction with exactly that formula.
 */
public final class MuLawDecoder implements ActionDecoder {
  private final int numBins;
  private final double mu;
  private final double[] scale;
  private final double[][] table;

  /** Bins per dimension, compression {@code mu > 0} and per-dimension scale. */
  public MuLawDecoder(int numBins, double mu, double[] scale) {
    if (numBins < 2 || !(mu > 0) || scale.length == 0) {
      throw new IllegalArgumentException("mulaw decoder: need numBins >= 2, mu > 0 and a scale, got " + numBins + ", " + mu);
    }
    this.numBins = numBins;
    this.mu = mu;
    this.scale = scale.clone();
    double logOnePlusMu = Math.log1p(mu);
    this.table = new double[scale.length][numBins];
    for (int j = 0; j < scale.length; j++) {
      for (int t = 0; t < numBins; t++) {
        double c = -1 + (t + 0.5) * 2 / numBins;
        table[j][t] = scale[j] * (Math.signum(c) * Math.expm1(Math.abs(c) * logOnePlusMu) / mu);
      }
    }
  }

  /** Bins per dimension. */
  public int numBins() {
    return numBins;
  }

  /** Compression. */
  public double mu() {
    return mu;
  }

  /** Scales (copy). */
  public double[] scale() {
    return scale.clone();
  }

  @Override
  public String type() {
    return "mulaw";
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

  @Override
  public void decode(int[] tokens, float[] headOutputs, double[] state, double[] action) {
    for (int j = 0; j < scale.length; j++) {
      action[j] = table[j][tokens[j]];
    }
  }
}
