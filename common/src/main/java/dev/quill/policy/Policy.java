package dev.quill.policy;

import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained factorized token policy: normalization stats, network and tokenizer. {@link #act} normalizes
 * states, takes the argmax token of each head and decodes the tokens to a continuous action.
 *
 * <p>Not thread-safe (the DL4J network keeps per-call state): use one instance per thread.
 */
public final class Policy {
  private final MultiLayerNetwork network;
  private final ActionTokenizer tokenizer;
  private final DatasetStats stats;
  private final PolicyInfo info;

  /** Assembles a policy from its parts; the network must output {@code sum of vocab sizes} logits. */
  public Policy(MultiLayerNetwork network, ActionTokenizer tokenizer, DatasetStats stats, PolicyInfo info) {
    this.network = network;
    this.tokenizer = tokenizer;
    this.stats = stats;
    this.info = info;
  }

  /** The network. */
  public MultiLayerNetwork network() {
    return network;
  }

  /** The action tokenizer. */
  public ActionTokenizer tokenizer() {
    return tokenizer;
  }

  /** The dataset statistics used to normalize states. */
  public DatasetStats stats() {
    return stats;
  }

  /** Policy metadata. */
  public PolicyInfo info() {
    return info;
  }

  /** The action for one state. */
  public double[] act(double[] state) {
    return act(new double[][] {state})[0];
  }

  /** Actions for a batch of states (one forward pass). */
  public double[][] act(double[][] states) {
    int[][] tokens = tokens(states);
    double[][] actions = new double[states.length][];
    for (int i = 0; i < states.length; i++) {
      actions[i] = tokenizer.decode(states[i], tokens[i]);
    }
    return actions;
  }

  /** Output logits for a batch of raw (unnormalized) states, {@code [n][sum of vocab sizes]}. */
  public float[][] logits(double[][] states) {
    float[] flat = forward(states);
    int width = flat.length / Math.max(1, states.length);
    float[][] out = new float[states.length][];
    for (int i = 0; i < states.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
    return out;
  }

  /** Argmax tokens for a batch of states, {@code [n][numHeads]}. */
  public int[][] tokens(double[][] states) {
    float[] logits = forward(states);
    int width = logits.length / Math.max(1, states.length);
    int heads = tokenizer.numHeads();
    int[][] tokens = new int[states.length][heads];
    for (int i = 0; i < states.length; i++) {
      int offset = i * width;
      for (int h = 0; h < heads; h++) {
        int vocab = tokenizer.vocabSize(h);
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < vocab; t++) {
          float v = logits[offset + t];
          if (v > bestValue) {
            bestValue = v;
            best = t;
          }
        }
        tokens[i][h] = best;
        offset += vocab;
      }
    }
    return tokens;
  }

  private float[] forward(double[][] states) {
    int s = info.stateDim();
    float[] x = new float[states.length * s];
    for (int i = 0; i < states.length; i++) {
      if (states[i].length != s) {
        throw new IllegalArgumentException("state " + i + " has length " + states[i].length + ", policy expects " + s);
      }
      stats.state().normalize(states[i], x, i * s);
    }
    return network.output(Nd4j.create(x, new long[] {states.length, s}, 'c'), false).dup('c').data().asFloat();
  }
}
