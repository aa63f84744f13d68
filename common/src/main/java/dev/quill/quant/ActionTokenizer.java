package dev.quill.quant;

import java.io.Serializable;

/**
 * A fitted action quantizer: maps a continuous action to one token per head and back.
 *
 * <p>Contract: immutable and thread-safe. {@code decode(encode(a))} is the quantized action
 * {@code q(a)} of Cao &amp; Xie (2026). Where {@link #exactRoundTrip()} is true, {@code encode(decode(t)) == t}
 * for every valid token vector. {@code encode} rejects non-finite actions with an
 * {@link IllegalArgumentException} naming the dimension, and clips finite out-of-range actions into the
 * edge tokens. Tokenizers whose quantization depends on the state (a dither seeded per state) override the
 * two-argument {@link #encode(double[], double[])} and {@link #decode(double[], int[])}; callers that know
 * the state use those, and the one-argument forms are then the state-free (undithered) quantizer.
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

  /** Tokens of {@code action} taken in {@code state}; the default ignores the state. */
  default int[] encode(double[] state, double[] action) {
    return encode(action);
  }

  /** The continuous action of {@code tokens} chosen in {@code state}; the default ignores the state. */
  default double[] decode(double[] state, int[] tokens) {
    return decode(tokens);
  }

  /**
   * Whether {@code encode(decode(t)) == t} for every valid token vector. True for the bin families and
   * single codebooks; false for residual VQ (a sum of codes can be nearer other codes) and for the
   * adversarial Theorem-6 quantizer.
   */
  default boolean exactRoundTrip() {
    return true;
  }
}
