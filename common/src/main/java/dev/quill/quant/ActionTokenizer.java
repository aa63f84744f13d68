package dev.quill.quant;

import java.io.Serializable;

/**
 * A fitted action quantizer: maps a continuous action to one token per head and back.
 *
 * <p>Contract: immutable and thread-safe. {@code decode(encode(a))} is the quantized action
 * {@code q(a)} of Cao &amp; Xie (2026); {@code encode(decode(t)) == t} for every valid token vector.
 * {@code encode} rejects non-finite actions with an {@link IllegalArgumentException} naming the
 * dimension, and clips finite out-of-range actions into the edge tokens.
 */
public interface ActionTokenizer extends Serializable {

  /** Tokenizer family, e.g. {@code "uniform"}. */
  String type();

  /** Length of the continuous action vector. */
  int actionDim();

  /** Number of tokens per action (one per policy head). */
  int numHeads();

  /** Vocabulary size of head {@code head}. */
  int vocabSize(int head);

  /** Tokens of {@code action}, {@link #numHeads()} values, each in {@code [0, vocabSize(h))}. */
  int[] encode(double[] action);

  /** The representative continuous action of {@code tokens}. */
  double[] decode(int[] tokens);
}
