package dev.quill.train;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Teacher forcing for the autoregressive head ({@link dev.quill.policy.PolicyNetworks#autoregressive}):
 * a minibatch of (normalized state, expert tokens) becomes the graph's two inputs, the state and the
 * one-hot encoding of the expert's tokens ({@code [n, D*B]}, block i the one-hot of token i), with the
 * tokens as labels. The graph reads block i only for dimensions after i, so every dimension is
 * conditioned on the expert's earlier tokens.
 */
public final class TeacherForcing {
  private TeacherForcing() {}

  /**
   * The autoregressive minibatch of {@code batch} (features: states; labels: {@code [n, D]} tokens).
   *
   * @throws IllegalArgumentException when a label is not a token in {@code [0, vocab)}
   */
  public static MultiDataSet toMultiDataSet(DataSet batch, int vocab) {
    float[] tokens = batch.getLabels().dup('c').data().asFloat();
    int n = (int) batch.getLabels().size(0);
    int d = (int) batch.getLabels().size(1);
    float[] hot = new float[n * d * vocab];
    for (int r = 0; r < tokens.length; r++) {
      int t = (int) tokens[r];
      if (t < 0 || t >= vocab || t != tokens[r]) {
        throw new IllegalArgumentException("label " + tokens[r] + " of example " + (r / d) + ", head " + (r % d)
            + " is not a token in [0, " + (vocab - 1) + "]");
      }
      hot[r * vocab + t] = 1f;
    }
    return new MultiDataSet(
        new org.nd4j.linalg.api.ndarray.INDArray[] {batch.getFeatures(), Nd4j.create(hot, new long[] {n, (long) d * vocab}, 'c')},
        new org.nd4j.linalg.api.ndarray.INDArray[] {batch.getLabels()});
  }
}
