package dev.quill.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A block of encoded training examples in flat arrays: {@code states} is {@code [size, stateDim]}
 * row-major, {@code tokens} {@code [size, numHeads]} row-major (token indices as floats, the label layout
 * of {@link dev.quill.loss.FactorizedTokenCrossEntropy}). One block holds a partition's examples; it is
 * cached once and cut into shuffled minibatches every epoch.
 *
 * @param size number of examples
 * @param stateDim state dimension
 * @param numHeads tokens per example
 * @param states normalized states
 * @param tokens token labels
 */
public record ExampleBlock(int size, int stateDim, int numHeads, float[] states, float[] tokens) implements Serializable {

  /** An empty block with room for {@code size} examples. */
  public static ExampleBlock allocate(int size, int stateDim, int numHeads) {
    return new ExampleBlock(size, stateDim, numHeads, new float[size * stateDim], new float[size * numHeads]);
  }

  /**
   * Cuts the block into minibatches of {@code batchSize} examples in a random order drawn from
   * {@code shuffleSeed} (no shuffling when {@code shuffleSeed} is {@code null}); the last batch may be
   * smaller.
   */
  public List<DataSet> toMinibatches(int batchSize, Long shuffleSeed) {
    int[] order = order(shuffleSeed);
    List<DataSet> batches = new ArrayList<>((size + batchSize - 1) / batchSize);
    for (int start = 0; start < size; start += batchSize) {
      int n = Math.min(batchSize, size - start);
      float[] x = new float[n * stateDim];
      float[] y = new float[n * numHeads];
      for (int k = 0; k < n; k++) {
        int src = order[start + k];
        System.arraycopy(states, src * stateDim, x, k * stateDim, stateDim);
        System.arraycopy(tokens, src * numHeads, y, k * numHeads, numHeads);
      }
      batches.add(new DataSet(Nd4j.create(x, new long[] {n, stateDim}, 'c'), Nd4j.create(y, new long[] {n, numHeads}, 'c')));
    }
    return batches;
  }

  /**
   * The example order of {@link #toMinibatches}: a Fisher-Yates permutation of {@code 0 .. size - 1}
   * drawn from {@code shuffleSeed}, or the identity when it is {@code null}. Minibatch {@code k} holds
   * examples {@code order[k * batchSize ..]}.
   */
  public int[] order(Long shuffleSeed) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    if (shuffleSeed != null) {
      SplittableRandom rng = new SplittableRandom(shuffleSeed);
      for (int i = size - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }
}
