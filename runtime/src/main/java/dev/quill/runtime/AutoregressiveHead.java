package dev.quill.runtime;

/**
 * An autoregressive token head: {@code logits_j = W_j h + b_j + sum_{i<j} E_{j,i}[token_i]}, tokens chosen by
 * argmax in order {@code j = 0, 1, ...}, so token {@code j} sees the tokens before it (the factorization of
 * RT-1/OpenVLA-style per-dimension tokens with the previous tokens fed back as embeddings). The stacked
 * {@code W_j, b_j} form one output layer (as in {@link FactorizedHead}); {@code E_{j,i}} is a table of
 * {@code B_i} rows of {@code B_j} floats, stored flat as {@code embeddings[j][i][token_i * B_j + t]}.
 */
public final class AutoregressiveHead implements Head {
  private final FactorizedHead base;
  private final DenseLayer output;
  private final int[] vocab;
  private final int[] offsets;
  private final float[][][] embeddings;

  /** Output layer, vocabularies and {@code embeddings[j][i]} for {@code i < j} (length {@code B_i * B_j}). */
  public AutoregressiveHead(DenseLayer output, int[] vocab, float[][][] embeddings) {
    this.base = new FactorizedHead(output, vocab);
    if (embeddings.length != vocab.length) {
      throw new IllegalArgumentException("autoregressive head: " + embeddings.length + " embedding groups for "
          + vocab.length + " tokens");
    }
    this.output = output;
    this.vocab = vocab.clone();
    this.offsets = new int[vocab.length];
    this.embeddings = new float[vocab.length][][];
    for (int j = 0; j < vocab.length; j++) {
      offsets[j] = j == 0 ? 0 : offsets[j - 1] + vocab[j - 1];
      if (embeddings[j].length != j) {
        throw new IllegalArgumentException("autoregressive head: token " + j + " needs " + j + " embedding tables, got "
            + embeddings[j].length);
      }
      this.embeddings[j] = new float[j][];
      for (int i = 0; i < j; i++) {
        if (embeddings[j][i].length != vocab[i] * vocab[j]) {
          throw new IllegalArgumentException("autoregressive head: E[" + j + "][" + i + "] has " + embeddings[j][i].length
              + " values, expected " + vocab[i] + " x " + vocab[j]);
        }
        this.embeddings[j][i] = embeddings[j][i].clone();
      }
    }
  }

  /** The stacked output layer. */
  public DenseLayer output() {
    return output;
  }

  /** Table {@code E_{j,i}} flat (no copy; do not modify). */
  float[] embedding(int j, int i) {
    return embeddings[j][i];
  }

  @Override
  public String type() {
    return "autoregressive";
  }

  @Override
  public int inputWidth() {
    return base.inputWidth();
  }

  @Override
  public int outputWidth() {
    return base.outputWidth();
  }

  @Override
  public int numTokens() {
    return base.numTokens();
  }

  @Override
  public int vocabSize(int j) {
    return base.vocabSize(j);
  }

  @Override
  public void select(float[] hidden, float[] outputs, int[] tokens) {
    output.forward(hidden, outputs);
    for (int j = 0; j < vocab.length; j++) {
      int bj = vocab[j];
      int off = offsets[j];
      for (int i = 0; i < j; i++) {
        float[] e = embeddings[j][i];
        int row = tokens[i] * bj;
        for (int t = 0; t < bj; t++) {
          outputs[off + t] += e[row + t];
        }
      }
      tokens[j] = Head.argmax(outputs, off, bj);
    }
  }
}
