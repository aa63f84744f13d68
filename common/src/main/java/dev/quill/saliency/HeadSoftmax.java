package dev.quill.saliency;

/** Per-head softmax and argmax of concatenated factorized logits (heads of the given vocabulary sizes). */
public final class HeadSoftmax {
  private HeadSoftmax() {}

  /** Softmax of each head's slice of {@code z}, computed stably in double. */
  public static double[] probs(float[] z, int[] vocab) {
    double[] p = new double[z.length];
    int off = 0;
    for (int v : vocab) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < v; c++) {
        max = Math.max(max, z[off + c]);
      }
      double sum = 0;
      for (int c = 0; c < v; c++) {
        p[off + c] = Math.exp(z[off + c] - max);
        sum += p[off + c];
      }
      for (int c = 0; c < v; c++) {
        p[off + c] /= sum;
      }
      off += v;
    }
    return p;
  }

  /** The argmax token of each head (first maximum on ties). */
  public static int[] argmax(float[] z, int[] vocab) {
    int[] tokens = new int[vocab.length];
    int off = 0;
    for (int h = 0; h < vocab.length; h++) {
      int best = 0;
      for (int c = 1; c < vocab[h]; c++) {
        if (z[off + c] > z[off + best]) {
          best = c;
        }
      }
      tokens[h] = best;
      off += vocab[h];
    }
    return tokens;
  }
}
