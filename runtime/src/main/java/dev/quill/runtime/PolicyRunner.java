package dev.quill.runtime;

/**
 * Runs a {@link PolicyModel}: {@link #act(double[], double[])} normalizes the state, runs the trunk and the
 * head, and decodes the tokens into the action. All buffers are allocated here, so a call allocates nothing
 * (checked by a test with {@code ThreadMXBean.getThreadAllocatedBytes}).
 *
 * <p>Not thread-safe: a runner owns mutable buffers; use one runner per thread (the model is shared).
 * After {@code act}, {@link #logits()} and {@link #tokens()} expose the last call's head outputs and tokens.
 */
public final class PolicyRunner {
  private final PolicyModel model;
  private final DenseLayer[] layers;
  private final float[] a;
  private final float[] b;
  private final float[] outputs;
  private final int[] tokens;

  PolicyRunner(PolicyModel model) {
    this.model = model;
    this.layers = model.trunk().toArray(new DenseLayer[0]);
    int width = model.stateDim();
    for (DenseLayer l : layers) {
      width = Math.max(width, l.nOut());
    }
    this.a = new float[width];
    this.b = new float[width];
    this.outputs = new float[model.head().outputWidth()];
    this.tokens = new int[model.head().numTokens()];
  }

  /** The model this runs. */
  public PolicyModel model() {
    return model;
  }

  /**
   * Writes the action for raw {@code state} (length {@code stateDim}) into {@code action} (length
   * {@code actionDim}) and returns it.
   *
   * @throws IllegalArgumentException if a length differs
   */
  public double[] act(double[] state, double[] action) {
    if (state.length != model.stateDim() || action.length != model.actionDim()) {
      throw new IllegalArgumentException("act: state has length " + state.length + " (policy expects " + model.stateDim()
          + "), action has length " + action.length + " (policy gives " + model.actionDim() + ")");
    }
    forward(state);
    model.decoder().decode(tokens, outputs, state, action);
    return action;
  }

  /** The action for {@code state} in a new array (allocates the result; use the two-argument form in loops). */
  public double[] act(double[] state) {
    return act(state, new double[model.actionDim()]);
  }

  /** Runs normalization, trunk and head for {@code state}; {@link #logits()} and {@link #tokens()} then hold the results. */
  public void forward(double[] state) {
    model.normalizer().normalize(state, a);
    float[] in = a;
    float[] out = b;
    for (DenseLayer layer : layers) {
      layer.forward(in, out);
      float[] t = in;
      in = out;
      out = t;
    }
    model.head().select(in, outputs, tokens);
  }

  /** Head outputs (logits) of the last call; the runner's buffer, overwritten by the next call. */
  public float[] logits() {
    return outputs;
  }

  /** Tokens of the last call; the runner's buffer, overwritten by the next call. */
  public int[] tokens() {
    return tokens;
  }
}
