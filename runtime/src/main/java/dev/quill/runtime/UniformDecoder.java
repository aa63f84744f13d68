package dev.quill.runtime;

/**
 * Uniform bins ({@code uniform} tokenizer): token {@code t} of dimension {@code j} decodes to the bin centre
 * {@code low_j + (t + 0.5) w_j} with {@code w_j = (high_j - low_j) / B} ({@code low_j} when {@code w_j = 0}).
 */
public final class UniformDecoder implements ActionDecoder {
  private final int numBins;
  private final double[] low;
  private final double[] high;
  private final double[] width;

  /** Bins per dimension and per-dimension bounds (equal non-zero lengths, {@code low <= high}). */
  public UniformDecoder(int numBins, double[] low, double[] high) {
    if (numBins < 2 || low.length == 0 || low.length != high.length) {
      throw new IllegalArgumentException("uniform decoder: need numBins >= 2 and bounds of equal non-zero length, got "
          + numBins + ", " + low.length + ", " + high.length);
    }
    this.numBins = numBins;
    this.low = low.clone();
    this.high = high.clone();
    this.width = new double[low.length];
    for (int j = 0; j < low.length; j++) {
      width[j] = (high[j] - low[j]) / numBins;
    }
  }

  /** Bins per dimension. */
  public int numBins() {
    return numBins;
  }

  /** Lower bounds (copy). */
  public double[] low() {
    return low.clone();
  }

  /** Upper bounds (copy). */
  public double[] high() {
    return high.clone();
  }

  @Override
  public String type() {
    return "uniform";
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

  @Override
  public void decode(int[] tokens, float[] headOutputs, double[] state, double[] action) {
    for (int j = 0; j < low.length; j++) {
      action[j] = width[j] == 0.0 ? low[j] : low[j] + (tokens[j] + 0.5) * width[j];
    }
  }
}
