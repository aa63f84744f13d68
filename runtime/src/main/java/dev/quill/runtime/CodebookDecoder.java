package dev.quill.runtime;

/**
 * Codebooks ({@code kmeans}: one stage, BeT; {@code rvq}: residual stages, VQ-BeT): the action of tokens
 * {@code t_s} is {@code offset + scale * sum_s codebooks[s][t_s]} (codes in standardized units, summed in
 * stage order as Quill's {@code CodebookTokenizer} does).
 */
public final class CodebookDecoder implements ActionDecoder {
  private final String type;
  private final double[] offset;
  private final double[] scale;
  private final double[][][] codebooks;

  /**
   * @param type {@code kmeans} or {@code rvq}
   * @param offset standardization offset per action dimension
   * @param scale standardization scale per action dimension
   * @param codebooks {@code [stage][code][dim]}
   */
  public CodebookDecoder(String type, double[] offset, double[] scale, double[][][] codebooks) {
    if (!"kmeans".equals(type) && !"rvq".equals(type)) {
      throw new IllegalArgumentException("codebook decoder: type must be kmeans or rvq, got \"" + type + "\"");
    }
    if (offset.length == 0 || offset.length != scale.length || codebooks.length == 0) {
      throw new IllegalArgumentException("codebook decoder: need offset and scale of equal non-zero length and >= 1 stage");
    }
    this.type = type;
    this.offset = offset.clone();
    this.scale = scale.clone();
    this.codebooks = new double[codebooks.length][][];
    for (int s = 0; s < codebooks.length; s++) {
      this.codebooks[s] = new double[codebooks[s].length][];
      for (int k = 0; k < codebooks[s].length; k++) {
        if (codebooks[s][k].length != offset.length) {
          throw new IllegalArgumentException("codebook decoder: code " + k + " of stage " + s + " has length "
              + codebooks[s][k].length + ", actions have " + offset.length);
        }
        this.codebooks[s][k] = codebooks[s][k].clone();
      }
    }
  }

  /** Offsets (copy). */
  public double[] offset() {
    return offset.clone();
  }

  /** Scales (copy). */
  public double[] scale() {
    return scale.clone();
  }

  /** Code {@code k} of stage {@code s} (copy). */
  public double[] code(int s, int k) {
    return codebooks[s][k].clone();
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int actionDim() {
    return offset.length;
  }

  @Override
  public int numHeads() {
    return codebooks.length;
  }

  @Override
  public int vocabSize(int head) {
    return codebooks[head].length;
  }

  @Override
  public void decode(int[] tokens, float[] headOutputs, double[] state, double[] action) {
    int d = offset.length;
    for (int j = 0; j < d; j++) {
      action[j] = 0.0;
    }
    for (int s = 0; s < codebooks.length; s++) {
      double[] c = codebooks[s][tokens[s]];
      for (int j = 0; j < d; j++) {
        action[j] += c[j];
      }
    }
    for (int j = 0; j < d; j++) {
      action[j] = offset[j] + scale[j] * action[j];
    }
  }
}
