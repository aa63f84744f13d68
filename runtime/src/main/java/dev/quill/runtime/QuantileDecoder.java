package dev.quill.runtime;

/**
 * Quantile bins ({@code quantile} tokenizer): token {@code t} of dimension {@code j} decodes to the bin's
 * representative {@code centres[j][t]}; the edges are kept so the artifact holds the whole tokenizer.
 */
public final class QuantileDecoder implements ActionDecoder {
  private final double[][] edges;
  private final double[][] centres;

  /** Per dimension: {@code B + 1} edges and {@code B} centres. */
  public QuantileDecoder(double[][] edges, double[][] centres) {
    if (edges.length == 0 || edges.length != centres.length) {
      throw new IllegalArgumentException("quantile decoder: need edges and centres for the same non-zero number of dimensions");
    }
    this.edges = new double[edges.length][];
    this.centres = new double[centres.length][];
    for (int j = 0; j < edges.length; j++) {
      if (edges[j].length != centres[j].length + 1 || centres[j].length < 1) {
        throw new IllegalArgumentException("quantile decoder: dimension " + j + " has " + edges[j].length + " edges for "
            + centres[j].length + " centres (need centres + 1)");
      }
      this.edges[j] = edges[j].clone();
      this.centres[j] = centres[j].clone();
    }
  }

  /** Edges of dimension {@code j} (copy). */
  public double[] edges(int j) {
    return edges[j].clone();
  }

  /** Centres of dimension {@code j} (copy). */
  public double[] centres(int j) {
    return centres[j].clone();
  }

  @Override
  public String type() {
    return "quantile";
  }

  @Override
  public int actionDim() {
    return centres.length;
  }

  @Override
  public int numHeads() {
    return centres.length;
  }

  @Override
  public int vocabSize(int head) {
    return centres[head].length;
  }

  @Override
  public void decode(int[] tokens, float[] headOutputs, double[] state, double[] action) {
    for (int j = 0; j < centres.length; j++) {
      action[j] = centres[j][tokens[j]];
    }
  }
}
