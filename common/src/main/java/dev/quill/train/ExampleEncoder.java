package dev.quill.train;

import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import java.io.Serializable;

/**
 * Turns demonstration steps into training examples: the state normalized with the dataset statistics
 * and the action encoded to tokens, or, for the {@code continuous} head, the action normalized with the
 * action statistics (one float per action dimension in the block's label columns). Immutable and
 * thread-safe; serializable so Spark can ship it.
 */
public final class ExampleEncoder implements Serializable {
  private static final long serialVersionUID = 1L;
  private final DatasetStats stats;
  private final ActionTokenizer tokenizer;
  private final boolean continuous;

  /** Creates a token encoder for the given statistics and tokenizer. */
  public ExampleEncoder(DatasetStats stats, ActionTokenizer tokenizer) {
    this(stats, tokenizer, false);
  }

  /**
   * Creates an encoder; with {@code continuous} the labels are normalized actions and the tokenizer only
   * fixes the action dimension.
   */
  public ExampleEncoder(DatasetStats stats, ActionTokenizer tokenizer, boolean continuous) {
    if (stats.action().dim() != tokenizer.actionDim()) {
      throw new IllegalArgumentException("stats have action dimension " + stats.action().dim()
          + " but the tokenizer expects " + tokenizer.actionDim());
    }
    this.stats = stats;
    this.tokenizer = tokenizer;
    this.continuous = continuous;
  }

  /** State dimension. */
  public int stateDim() {
    return stats.state().dim();
  }

  /** Label columns per example: tokens per action, or the action dimension for the continuous head. */
  public int numHeads() {
    return continuous ? tokenizer.actionDim() : tokenizer.numHeads();
  }

  /** Writes example {@code i} of {@code block}: normalized state and labels. */
  public void encode(double[] state, double[] action, ExampleBlock block, int i) {
    stats.state().normalize(state, block.states(), i * stateDim());
    if (continuous) {
      stats.action().normalize(action, block.tokens(), i * action.length);
      return;
    }
    int[] tokens = tokenizer.encode(state, action);
    for (int h = 0; h < tokens.length; h++) {
      block.tokens()[i * tokens.length + h] = tokens[h];
    }
  }
}
