package dev.quill.policy;

import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained policy: normalization stats, network and tokenizer; the head ({@link PolicyInfo#head()})
 * says how the network's output becomes an action (see {@link PolicyNetworks}). {@link #act} normalizes
 * states, then: {@code factorized}/{@code codebook} take the argmax token of each head;
 * {@code autoregressive} decodes the tokens dimension by dimension, each conditioned on the tokens
 * already chosen (argmax, or drawn from the conditional softmax with {@code train.decoding: sampled} from
 * a stream seeded by {@code train.decodingSeed}); token heads decode the tokens with the tokenizer.
 * {@code continuous} denormalizes the regressed action with the action statistics (the tokenizer is not
 * used).
 *
 * <p>Not thread-safe (the DL4J network and the sampling stream keep per-call state): use one instance per
 * thread.
 */
public final class Policy {
  private final MultiLayerNetwork network;
  private final ComputationGraph graph;
  private final ActionTokenizer tokenizer;
  private final DatasetStats stats;
  private final PolicyInfo info;
  private final SplittableRandom sampling;

  /**
   * Assembles a policy with a MultiLayerNetwork ({@code factorized}, {@code codebook}: {@code sum of vocab
   * sizes} logits; {@code continuous}: {@code actionDim} outputs).
   */
  public Policy(MultiLayerNetwork network, ActionTokenizer tokenizer, DatasetStats stats, PolicyInfo info) {
    this(network, null, tokenizer, stats, info);
  }

  /** Assembles an {@code autoregressive} policy (graph layout of {@link PolicyNetworks#autoregressive}). */
  public Policy(ComputationGraph graph, ActionTokenizer tokenizer, DatasetStats stats, PolicyInfo info) {
    this(null, graph, tokenizer, stats, info);
  }

  private Policy(MultiLayerNetwork network, ComputationGraph graph, ActionTokenizer tokenizer, DatasetStats stats,
      PolicyInfo info) {
    boolean ar = "autoregressive".equals(info.head());
    if (ar != (graph != null)) {
      throw new IllegalArgumentException("head " + info.head() + " needs a " + (ar ? "ComputationGraph" : "MultiLayerNetwork"));
    }
    this.network = network;
    this.graph = graph;
    this.tokenizer = tokenizer;
    this.stats = stats;
    this.info = info;
    this.sampling = new SplittableRandom(info.train() == null ? 0 : info.train().decodingSeed());
  }

  /**
   * The network of a MultiLayerNetwork head.
   *
   * @throws IllegalStateException for the {@code autoregressive} head (use {@link #graph()})
   */
  public MultiLayerNetwork network() {
    if (network == null) {
      throw new IllegalStateException("the " + info.head() + " head is a ComputationGraph; this operation supports the "
          + "factorized, codebook and continuous heads only");
    }
    return network;
  }

  /** The graph of the {@code autoregressive} head, or {@code null} for the other heads. */
  public ComputationGraph graph() {
    return graph;
  }

  /** The DL4J model (network or graph), for serialization. */
  public Model model() {
    return network != null ? network : graph;
  }

  /** Whether the policy predicts tokens (every head but {@code continuous}). */
  public boolean tokenHead() {
    return !"continuous".equals(info.head());
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
    if (!tokenHead()) {
      return regress(states);
    }
    int[][] tokens = tokens(states);
    double[][] actions = new double[states.length][];
    for (int i = 0; i < states.length; i++) {
      actions[i] = tokenizer.decode(states[i], tokens[i]);
    }
    return actions;
  }

  /**
   * Output logits for a batch of raw (unnormalized) states, {@code [n][sum of vocab sizes]} (for
   * {@code autoregressive}: the conditional logits of each dimension given the greedily decoded tokens of
   * the earlier ones; for {@code continuous}: the {@code actionDim} normalized outputs).
   */
  public float[][] logits(double[][] states) {
    float[] flat = graph != null ? decode(normalize(states), states.length, false).logits : forward(states);
    int width = flat.length / Math.max(1, states.length);
    float[][] out = new float[states.length][];
    for (int i = 0; i < states.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
    return out;
  }

  /**
   * Tokens for a batch of states, {@code [n][numHeads]}: argmax per head, or the autoregressive decoding.
   *
   * @throws IllegalStateException for the {@code continuous} head
   */
  public int[][] tokens(double[][] states) {
    if (!tokenHead()) {
      throw new IllegalStateException("the continuous head predicts actions, not tokens");
    }
    if (graph != null) {
      return decode(normalize(states), states.length, "sampled".equals(info.train().decoding())).tokens;
    }
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
    if (convForward == null) {
      convForward = dev.quill.train.ConvForward.of(network);
    }
    return convForward.isPresent() ? convForward.get().output(normalize(states))
        : network.output(normalize(states), false).dup('c').data().asFloat();
  }

  /** The fast forward pass of a convolutional policy (README, "Image observations"), resolved on first use. */
  private java.util.Optional<dev.quill.train.ConvForward> convForward;

  private INDArray normalize(double[][] states) {
    int s = info.stateDim();
    float[] x = new float[states.length * s];
    for (int i = 0; i < states.length; i++) {
      if (states[i].length != s) {
        throw new IllegalArgumentException("state " + i + " has length " + states[i].length + ", policy expects " + s);
      }
      stats.state().normalize(states[i], x, i * s);
    }
    return Nd4j.create(x, new long[] {states.length, s}, 'c');
  }

  private double[][] regress(double[][] states) {
    float[] y = forward(states);
    int d = info.actionDim();
    double[] mean = stats.action().mean();
    double[] std = stats.action().std();
    double[][] actions = new double[states.length][d];
    for (int i = 0; i < states.length; i++) {
      for (int j = 0; j < d; j++) {
        actions[i][j] = mean[j] + (std[j] > 1e-8 ? std[j] : 1.0) * y[i * d + j];
      }
    }
    return actions;
  }

  /** Autoregressive decoding: one graph pass per dimension, tokens chosen so far in the one-hot input. */
  private Decoded decode(INDArray x, int n, boolean sample) {
    int d = tokenizer.numHeads();
    int b = tokenizer.vocabSize(0);
    float[] prev = new float[n * d * b];
    float[] logits = new float[n * d * b];
    int[][] tokens = new int[n][d];
    for (int j = 0; j < d; j++) {
      INDArray p = Nd4j.create(prev, new long[] {n, (long) d * b}, 'c');
      float[] out = graph.outputSingle(false, x, p).dup('c').data().asFloat();
      for (int i = 0; i < n; i++) {
        int base = i * d * b + j * b;
        System.arraycopy(out, base, logits, base, b);
        int t = sample ? sample(out, base, b) : argmax(out, base, b);
        tokens[i][j] = t;
        prev[base + t] = 1f;
      }
    }
    return new Decoded(tokens, logits);
  }

  private static int argmax(float[] z, int from, int len) {
    int best = 0;
    for (int t = 1; t < len; t++) {
      if (z[from + t] > z[from + best]) {
        best = t;
      }
    }
    return best;
  }

  private int sample(float[] z, int from, int len) {
    double max = z[from + argmax(z, from, len)];
    double[] cum = new double[len];
    double total = 0;
    for (int t = 0; t < len; t++) {
      total += Math.exp(z[from + t] - max);
      cum[t] = total;
    }
    double u = sampling.nextDouble() * total;
    for (int t = 0; t < len; t++) {
      if (u < cum[t]) {
        return t;
      }
    }
    return len - 1;
  }

  private record Decoded(int[][] tokens, float[] logits) {}
}
