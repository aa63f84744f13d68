package dev.quill.runtime;

/**
 * The factorized token head (Quill's {@code factorized}): one output layer of {@code sum_j B_j} logits and an
 * independent argmax per token {@code j} over its slice (Cao &amp; Xie 2026, the factorized policy over
 * quantized action dimensions).
 */
public final class FactorizedHead implements Head {
  private final DenseLayer output;
  private final int[] vocab;

  /** The output layer (identity activation expected) and the vocabulary per token; widths must agree. */
  public FactorizedHead(DenseLayer output, int[] vocab) {
    int sum = 0;
    for (int v : vocab) {
      if (v < 1) {
        throw new IllegalArgumentException("factorized head: vocabulary sizes must be >= 1, got " + v);
      }
      sum += v;
    }
    if (vocab.length == 0 || sum != output.nOut()) {
      throw new IllegalArgumentException("factorized head: output layer has " + output.nOut()
          + " logits, the vocabularies sum to " + sum);
    }
    this.output = output;
    this.vocab = vocab.clone();
  }

  /** The output layer. */
  public DenseLayer output() {
    return output;
  }

  @Override
  public String type() {
    return "factorized";
  }

  @Override
  public int inputWidth() {
    return output.nIn();
  }

  @Override
  public int outputWidth() {
    return output.nOut();
  }

  @Override
  public int numTokens() {
    return vocab.length;
  }

  @Override
  public int vocabSize(int j) {
    return vocab[j];
  }

  @Override
  public void select(float[] hidden, float[] outputs, int[] tokens) {
    output.forward(hidden, outputs);
    int offset = 0;
    for (int j = 0; j < vocab.length; j++) {
      tokens[j] = Head.argmax(outputs, offset, vocab[j]);
      offset += vocab[j];
    }
  }
}
