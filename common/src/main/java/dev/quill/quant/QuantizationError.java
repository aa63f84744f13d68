package dev.quill.quant;

import java.io.Serializable;

/**
 * Accumulates the reconstruction error {@code |a - decode(encode(a))|} per action dimension (eps_q of
 * Cao &amp; Xie 2026: its mean is the in-distribution error, its max the uniform bound). Mergeable, so it
 * serves as a Spark aggregation buffer. Not thread-safe.
 */
public final class QuantizationError implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] sumAbs;
  private final double[] maxAbs;
  private long count;

  /** An empty accumulator for actions of dimension {@code dim}. */
  public QuantizationError(int dim) {
    sumAbs = new double[dim];
    maxAbs = new double[dim];
  }

  /** Adds one action and its reconstruction. */
  public QuantizationError add(double[] action, double[] reconstructed) {
    for (int j = 0; j < sumAbs.length; j++) {
      double e = Math.abs(action[j] - reconstructed[j]);
      sumAbs[j] += e;
      maxAbs[j] = Math.max(maxAbs[j], e);
    }
    count++;
    return this;
  }

  /** Adds {@code other}'s actions to this accumulator and returns this. */
  public QuantizationError merge(QuantizationError other) {
    for (int j = 0; j < sumAbs.length; j++) {
      sumAbs[j] += other.sumAbs[j];
      maxAbs[j] = Math.max(maxAbs[j], other.maxAbs[j]);
    }
    count += other.count;
    return this;
  }

  /** Number of actions added. */
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
