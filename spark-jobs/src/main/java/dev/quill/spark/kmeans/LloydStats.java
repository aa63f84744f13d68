package dev.quill.spark.kmeans;

import java.io.Serializable;

/**
 * Sufficient statistics of one Lloyd step (Lloyd 1982) over some points: per centre the coordinate sums and
 * the count of the points nearest to it, and the inertia (sum of squared distances to the nearest centre).
 * Mutable while one partition is scanned; {@link #merge} combines partitions.
 */
public final class LloydStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int dim;
  private final double[] sums;
  private final long[] counts;
  private double inertia;

  /** Statistics from arrays the caller hands over (sums row-major K x D, counts K). */
  LloydStats(int dim, double[] sums, long[] counts, double inertia) {
    this.dim = dim;
    this.sums = sums;
    this.counts = counts;
    this.inertia = inertia;
  }

  /** Empty statistics for {@code k} centres of dimension {@code dim}. */
  public LloydStats(int k, int dim) {
    this.dim = dim;
    this.sums = new double[k * dim];
    this.counts = new long[k];
  }

  /**
   * Assigns every point of {@code block} to its nearest centre and accumulates sums, counts and inertia.
   *
   * @throws IllegalArgumentException when the block's dimension is not the centres'
   */
  public static LloydStats of(PointBlock block, Centres centres) {
    if (block.dim() != centres.dim()) {
      throw new IllegalArgumentException("points have dimension " + block.dim() + ", centres " + centres.dim());
    }
    int k = centres.k();
    int d = block.dim();
    LloydStats s = new LloydStats(k, d);
    double[] x = block.values();
    double[] scratch = new double[k];
    int n = block.size();
    double inertia = 0;
    for (int i = 0; i < n; i++) {
      int c = centres.nearest(x, i, scratch);
      inertia += centres.squaredDistance(x, i, c);
      s.counts[c]++;
      int sb = c * d;
      int xb = i * d;
      for (int j = 0; j < d; j++) {
        s.sums[sb + j] += x[xb + j];
      }
    }
    s.inertia = inertia;
    return s;
  }

  /** An independent copy. */
  public LloydStats copy() {
    return new LloydStats(dim, sums.clone(), counts.clone(), inertia);
  }

  /** Adds {@code other} into this and returns this. */
  public LloydStats merge(LloydStats other) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.sums[i];
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    inertia += other.inertia;
    return this;
  }

  /** Sum of squared distances of the scanned points to their nearest centre. */
  public double inertia() {
    return inertia;
  }

  /** Number of scanned points nearest to centre {@code c}. */
  public long count(int c) {
    return counts[c];
  }

  /**
   * The Lloyd update: each centre becomes the mean of its points; a centre without points keeps its
   * position (as Spark MLlib's KMeans does).
   */
  public Centres update(Centres old) {
    int k = counts.length;
    double[][] next = new double[k][dim];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < dim; j++) {
        next[c][j] = counts[c] == 0 ? old.at(c, j) : sums[c * dim + j] / counts[c];
      }
    }
    return new Centres(next);
  }
}
