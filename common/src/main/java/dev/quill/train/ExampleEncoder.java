package dev.quill.train;

import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import java.io.Serializable;

/**
 * Turns demonstration steps into training examples: the state normalized with the dataset statistics
 * and the action encoded to tokens. Immutable and thread-safe; serializable so Spark can ship it.
 */
public final class ExampleEncoder implements Serializable {
  private static final long serialVersionUID = 1L;
  private final DatasetStats stats;
  private final ActionTokenizer tokenizer;

  /** Creates an encoder for the given statistics and tokenizer. */
  public ExampleEncoder(DatasetStats stats, ActionTokenizer tokenizer) {
    if (stats.action().dim() != tokenizer.actionDim()) {
      throw new IllegalArgumentException("stats have action dimension " + stats.action().dim()
          + " but the tokenizer expects " + tokenizer.actionDim());
    }
    this.stats = stats;
    this.tokenizer = tokenizer;
  }

  /** State dimension. */
  public int stateDim() {
    return stats.state().dim();
  }

  /** Tokens per example. */
  public int numHeads() {
    return tokenizer.numHeads();
  }

  /** Appends example {@code i} of {@code block}: normalized state and tokens. */
  public void encode(double[] state, double[] action, ExampleBlock block, int i) {
    stats.state().normalize(state, block.states(), i * stateDim());
    int[] tokens = tokenizer.encode(state, action);
    for (int h = 0; h < tokens.length; h++) {
      block.tokens()[i * tokens.length + h] = tokens[h];
    }
  }
}
