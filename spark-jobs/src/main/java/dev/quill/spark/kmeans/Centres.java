package dev.quill.spark.kmeans;

import java.io.Serializable;

/**
 * K centres of dimension D prepared for the nearest-centre search: stored row-major ({@code rows[c * dim + j]})
 * and transposed ({@code cols[j * k + c]}) with their squared norms, so that the search computes
 * {@code ||c||^2 - 2 x.c} for all K centres with loops over K that the JIT vectorizes.
 */
public final class Centres implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int k;
  private final int dim;
  private final double[] rows;
  private final double[] cols;
  private final double[] norms;

  /** Copies {@code centres} (K arrays of one length D &gt;= 1, K &gt;= 1). */
  public Centres(double[][] centres) {
    if (centres.length == 0 || centres[0].length == 0) {
      throw new IllegalArgumentException("k-means needs at least one centre of dimension >= 1");
    }
    k = centres.length;
    dim = centres[0].length;
    rows = new double[k * dim];
    cols = new double[k * dim];
    norms = new double[k];
    for (int c = 0; c < k; c++) {
      if (centres[c].length != dim) {
        throw new IllegalArgumentException("centre " + c + " has dimension " + centres[c].length + ", centre 0 has " + dim);
      }
      double s = 0;
      for (int j = 0; j < dim; j++) {
        double v = centres[c][j];
        rows[c * dim + j] = v;
        cols[j * k + c] = v;
        s += v * v;
      }
      norms[c] = s;
    }
  }

  /** Number of centres K. */
  public int k() {
    return k;
  }

  /** Dimension D. */
  public int dim() {
    return dim;
  }

  /** A copy of the centres as K arrays of length D. */
  public double[][] toArrays() {
    double[][] out = new double[k][dim];
    for (int c = 0; c < k; c++) {
      System.arraycopy(rows, c * dim, out[c], 0, dim);
    }
    return out;
  }

  /**
   * Index of the centre nearest to point {@code i} of {@code values} (row-major, dimension D) by
   * {@code ||c||^2 - 2 x.c}; ties go to the lowest index. {@code scratch} has length at least K.
   */
  int nearest(double[] values, int i, double[] scratch) {
    scores(values, i, scratch);
    int best = 0;
    double bestValue = scratch[0];
    for (int c = 1; c < k; c++) {
      double s = scratch[c];
      if (s < bestValue) {
        bestValue = s;
        best = c;
      }
    }
    return best;
  }

  /** Fills {@code scratch[c]} with {@code ||c||^2 - 2 x.c} for point {@code i} of {@code values} and every centre c. */
  void scores(double[] values, int i, double[] scratch) {
    System.arraycopy(norms, 0, scratch, 0, k);
    int base = i * dim;
    for (int j = 0; j < dim; j++) {
      double m = -2.0 * values[base + j];
      int off = j * k;
      for (int c = 0; c < k; c++) {
        scratch[c] += m * cols[off + c];
      }
    }
  }

  /** Half the distance from each centre to its nearest other centre (0 for every centre when K = 1). */
  double[] halfGaps() {
    double[] g = new double[k];
    java.util.Arrays.fill(g, k == 1 ? 0 : Double.POSITIVE_INFINITY);
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        double s = 0;
        for (int j = 0; j < dim; j++) {
          double d = rows[a * dim + j] - rows[b * dim + j];
          s += d * d;
        }
        double h = 0.5 * Math.sqrt(s);
        g[a] = Math.min(g[a], h);
        g[b] = Math.min(g[b], h);
      }
    }
    return g;
  }

  /** Euclidean distance each centre moved from {@code previous} (same K and D) to this. */
  double[] shifts(Centres previous) {
    double[] d = new double[k];
    for (int c = 0; c < k; c++) {
      double s = 0;
      for (int j = 0; j < dim; j++) {
        double v = rows[c * dim + j] - previous.rows[c * dim + j];
        s += v * v;
      }
      d[c] = Math.sqrt(s);
    }
    return d;
  }

  /** Exact squared Euclidean distance between point {@code i} of {@code values} and centre {@code c}. */
  double squaredDistance(double[] values, int i, int c) {
    double s = 0;
    int base = i * dim;
    int cb = c * dim;
    for (int j = 0; j < dim; j++) {
      double d = values[base + j] - rows[cb + j];
      s += d * d;
    }
    return s;
  }

  /** Coordinate {@code j} of centre {@code c}. */
  double at(int c, int j) {
    return rows[c * dim + j];
  }
}
