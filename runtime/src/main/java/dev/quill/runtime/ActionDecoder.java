package dev.quill.runtime;

/**
 * Turns the tokens a {@link Head} selected into the continuous action, exactly as the Quill tokenizer the
 * policy was trained with decodes them (same formulas, same double arithmetic). Implementations are
 * immutable, thread-safe and allocate nothing in {@link #decode}.
 *
 * <p>A continuous head (one that regresses the action instead of choosing tokens) pairs with a decoder that
 * reads {@code headOutputs} instead of {@code tokens}; the token decoders ignore it.
 */
public interface ActionDecoder {
  /** The tokenizer family this decodes, as in {@code tokenizer.json} ({@code uniform}, {@code rvq}, ...). */
  String type();

  /** Length of the action. */
  int actionDim();

  /** Tokens per action. */
  int numHeads();

  /** Vocabulary of token {@code head}. */
  int vocabSize(int head);

  /**
   * Writes the action of {@code tokens} chosen in (raw, unnormalized) {@code state} into
   * {@code action[0..actionDim)}. Tokens must be valid (the heads only select valid ones).
   */
  void decode(int[] tokens, float[] headOutputs, double[] state, double[] action);
}
