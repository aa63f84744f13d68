package dev.quill.util;

import java.io.Serializable;

/**
 * Accumulates absolute errors {@code |a - b|} per vector dimension: mean and max. Used for a
 * tokenizer's reconstruction error eps_q (Cao &amp; Xie 2026: its mean is the in-distribution error,
 * its max the uniform bound) and for a policy's action error on held-out states. Mergeable, so it
 * serves as a Spark aggregation buffer. Not thread-safe.
 */
public final class AbsErrorStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] sumAbs;
  private final double[] maxAbs;
  private long count;

  /** An empty accumulator for actions of dimension {@code dim}. */
  public AbsErrorStats(int dim) {
    sumAbs = new double[dim];
    maxAbs = new double[dim];
  }

  /** Adds one pair of vectors. */
  public AbsErrorStats add(double[] action, double[] reconstructed) {
    for (int j = 0; j < sumAbs.length; j++) {
      double e = Math.abs(action[j] - reconstructed[j]);
      sumAbs[j] += e;
      maxAbs[j] = Math.max(maxAbs[j], e);
    }
    count++;
    return this;
  }

  /** Adds {@code other}'s pairs to this accumulator and returns this. */
  public AbsErrorStats merge(AbsErrorStats other) {
    for (int j = 0; j < sumAbs.length; j++) {
      sumAbs[j] += other.sumAbs[j];
      maxAbs[j] = Math.max(maxAbs[j], other.maxAbs[j]);
    }
    count += other.count;
    return this;
  }

  /** Number of pairs added. */
  public long count() {
    return count;
  }

  /** Mean absolute error per dimension. */
  public double[] meanPerDim() {
    double[] m = new double[sumAbs.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = count == 0 ? 0.0 : sumAbs[j] / count;
    }
    return m;
  }

  /** Max absolute error per dimension. */
  public double[] maxPerDim() {
    return maxAbs.clone();
  }

  /** Mean over dimensions of the per-dimension mean error. */
  public double mean() {
    double s = 0;
    for (double v : meanPerDim()) {
      s += v;
    }
    return s / sumAbs.length;
  }

  /** Max over dimensions of the per-dimension max error. */
  public double max() {
    double m = 0;
    for (double v : maxAbs) {
      m = Math.max(m, v);
    }
    return m;
  }
}
