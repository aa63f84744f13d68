package dev.quill.runtime;

/**
 * The policy head: from the trunk's last hidden vector to the head outputs (logits) and the selected
 * tokens. Implementations are immutable and thread-safe; {@link #select} allocates nothing and writes only
 * into the caller's buffers.
 *
 * <p>Implemented: {@link FactorizedHead} (independent argmax per token, Quill's {@code factorized} head) and
 * {@link AutoregressiveHead} ({@code logits_j = W_j h + b_j + sum_{i<j} E_{j,i}[token_i]}, tokens chosen in
 * order). A continuous head (regressing the action) implements this with {@link #numTokens()} 0, writes the
 * action statistics into {@code outputs} and pairs with an {@link ActionDecoder} that reads them.
 */
public interface Head {
  /** Head type as stored in the artifact ({@code factorized}, {@code autoregressive}). */
  String type();

  /** Width of the hidden vector the head reads. */
  int inputWidth();

  /** Width of the outputs buffer (all logits, heads concatenated). */
  int outputWidth();

  /** Tokens per action. */
  int numTokens();

  /** Vocabulary of token {@code j}. */
  int vocabSize(int j);

  /** Computes {@code outputs[0..outputWidth)} from {@code hidden} and writes the selected tokens. */
  void select(float[] hidden, float[] outputs, int[] tokens);

  /** Index of the largest of {@code v[from..from+n)}; the first one on ties (as Quill's {@code Policy}). */
  static int argmax(float[] v, int from, int n) {
    int best = 0;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int t = 0; t < n; t++) {
      float x = v[from + t];
      if (x > bestValue) {
        bestValue = x;
        best = t;
      }
    }
    return best;
  }
}
