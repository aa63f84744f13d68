package dev.quill.quant.quantile;

import java.util.Arrays;

/**
 * Fits {@link QuantileBinTokenizer}s from per-dimension quantiles. The distributed fit (Spark's
 * {@code approxQuantile}) computes the quantiles at {@link #levels(int)}; {@link #fitSample} computes them
 * exactly from an in-memory sample (tests, small data).
 */
public final class QuantileBinFitter {
  private final int numBins;

  /** A fitter for {@code numBins} bins per dimension, in [2, 65536]. */
  public QuantileBinFitter(int numBins) {
    if (numBins < 2 || numBins > 65_536) {
      throw new IllegalArgumentException("numBins must be in [2, 65536], got " + numBins);
    }
    this.numBins = numBins;
  }

  /** The {@code 2B + 1} probability levels {@code i / (2B)}: even ones are edges, odd ones representatives. */
  public static double[] levels(int numBins) {
    double[] p = new double[2 * numBins + 1];
    for (int i = 0; i < p.length; i++) {
      p[i] = (double) i / (2 * numBins);
    }
    return p;
  }

  /**
   * Builds the tokenizer from quantiles {@code q[j][i]} of dimension j at {@link #levels(int)}. Tied edges
   * are spread by one ulp so bins stay strictly ordered; representatives are clamped into their bin.
   */
  public QuantileBinTokenizer fit(double[][] q) {
    double[][] edges = new double[q.length][numBins + 1];
    double[][] centres = new double[q.length][numBins];
    for (int j = 0; j < q.length; j++) {
      if (q[j].length != 2 * numBins + 1) {
        throw new IllegalArgumentException("dimension " + j + " needs " + (2 * numBins + 1) + " quantiles, got " + q[j].length);
      }
      for (int i = 0; i <= numBins; i++) {
        double v = q[j][2 * i];
        edges[j][i] = i > 0 && v <= edges[j][i - 1] ? Math.nextUp(edges[j][i - 1]) : v;
      }
      for (int t = 0; t < numBins; t++) {
        double lo = edges[j][t];
        double hi = edges[j][t + 1];
        double c = Math.max(lo, q[j][2 * t + 1]);
        centres[j][t] = t == numBins - 1 ? Math.min(c, hi) : (c < hi ? c : lo);
      }
    }
    return new QuantileBinTokenizer(edges, centres);
  }

  /** Fits from an in-memory sample {@code actions[n][dim]} with exact (lower, nearest-rank) quantiles. */
  public QuantileBinTokenizer fitSample(double[][] actions) {
    if (actions.length == 0) {
      throw new IllegalArgumentException("cannot fit quantile bins to zero actions");
    }
    int dim = actions[0].length;
    double[] levels = levels(numBins);
    double[][] q = new double[dim][levels.length];
    double[] column = new double[actions.length];
    for (int j = 0; j < dim; j++) {
      for (int i = 0; i < actions.length; i++) {
        column[i] = actions[i][j];
      }
      Arrays.sort(column);
      for (int i = 0; i < levels.length; i++) {
        q[j][i] = column[(int) Math.min(column.length - 1, Math.floor(levels[i] * (column.length - 1) + 0.5))];
      }
    }
    return fit(q);
  }
}
