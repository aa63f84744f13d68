package dev.quill.quant.audit;

import dev.quill.quant.ActionTokenizer;
import dev.quill.util.AbsErrorStats;
import java.io.Serializable;

/**
 * Per-tokenizer accumulator of the audit's first pass: reconstruction error eps_q (mean and max per action
 * dimension) and how often each code of each head is used. Mergeable (a Spark aggregation buffer); not
 * thread-safe.
 */
public final class CodeUsage implements Serializable {
  private static final long serialVersionUID = 1L;
  private final AbsErrorStats eps;
  private final long[][] counts;

  /** An empty accumulator for {@code tokenizer}. */
  public CodeUsage(ActionTokenizer tokenizer) {
    eps = new AbsErrorStats(tokenizer.actionDim());
    counts = new long[tokenizer.numHeads()][];
    for (int h = 0; h < counts.length; h++) {
      counts[h] = new long[tokenizer.vocabSize(h)];
    }
  }

  /** Adds one (state, action) with its tokens and decoded action. */
  public CodeUsage add(double[] action, int[] tokens, double[] decoded) {
    eps.add(action, decoded);
    for (int h = 0; h < tokens.length; h++) {
      counts[h][tokens[h]]++;
    }
    return this;
  }

  /** Adds {@code other}'s counts into this and returns this. */
  public CodeUsage merge(CodeUsage other) {
    eps.merge(other.eps);
    for (int h = 0; h < counts.length; h++) {
      for (int v = 0; v < counts[h].length; v++) {
        counts[h][v] += other.counts[h][v];
      }
    }
    return this;
  }

  /** The reconstruction error statistics. */
  public AbsErrorStats eps() {
    return eps;
  }

  /** Uses of code {@code v} of head {@code h}. */
  public long count(int h, int v) {
    return counts[h][v];
  }

  /** Number of heads. */
  public int numHeads() {
    return counts.length;
  }

  /** Codes of head {@code h} used at least once. */
  public int usedCodes(int h) {
    int used = 0;
    for (long c : counts[h]) {
      used += c > 0 ? 1 : 0;
    }
    return used;
  }

  /** Codes of head {@code h} never used (dead codes). */
  public int deadCodes(int h) {
    return counts[h].length - usedCodes(h);
  }

  /** Perplexity {@code exp(entropy)} of head {@code h}'s code distribution (the effective number of codes). */
  public double perplexity(int h) {
    long total = 0;
    for (long c : counts[h]) {
      total += c;
    }
    double entropy = 0;
    for (long c : counts[h]) {
      if (c > 0) {
        double p = (double) c / total;
        entropy -= p * Math.log(p);
      }
    }
    return Math.exp(entropy);
  }
}
