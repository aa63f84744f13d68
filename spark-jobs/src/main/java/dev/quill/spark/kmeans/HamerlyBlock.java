package dev.quill.spark.kmeans;

import java.io.Serializable;

/**
 * One partition's points with the state of Hamerly's exact acceleration of Lloyd's algorithm (G. Hamerly,
 * "Making k-means even faster", SDM 2010): each point's assigned centre, an upper bound on its distance to
 * that centre and a lower bound on its distance to every other centre. A step first moves the bounds by how
 * far the centres moved, and searches all K centres only for points whose upper bound exceeds
 * {@code max(lower bound, half the distance from the assigned centre to its nearest other centre)}; every
 * other point provably keeps its centre. The assignments, and so the centroid sums, are those of a plain
 * Lloyd step. Immutable: {@link #step} returns a new block sharing the points.
 */
public final class HamerlyBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Relative and absolute slack taken off a lower bound, covering the rounding of the K-centre search. */
  private static final double SLACK = 1e-9;
  private final PointBlock points;
  private final double sumOfSquares;
  private final int[] assign;
  private final double[] upper;
  private final double[] lower;
  private final LloydStats stats;
  private final long searches;

  private HamerlyBlock(PointBlock points, double sumOfSquares, int[] assign, double[] upper, double[] lower,
      LloydStats stats, long searches) {
    this.points = points;
    this.sumOfSquares = sumOfSquares;
    this.assign = assign;
    this.upper = upper;
    this.lower = lower;
    this.stats = stats;
    this.searches = searches;
  }

  /** A block whose points have no assignment yet: its first step searches all centres for every point. */
  public static HamerlyBlock of(PointBlock points) {
    double s = 0;
    for (double v : points.values()) {
      s += v * v;
    }
    return new HamerlyBlock(points, s, null, null, null, null, 0);
  }

  /** Statistics of the last step (null before the first). */
  public LloydStats stats() {
    return stats;
  }

  /** Points of the last step that needed a search over all K centres. */
  public long searches() {
    return searches;
  }

  /**
   * Assigns every point to its nearest centre of {@code centres}, which must be the previous step's centres
   * moved by {@code shifts} (null on the first step), and returns the new block with the step's statistics.
   */
  public HamerlyBlock step(Centres centres, double[] shifts, double[] halfGaps) {
    int k = centres.k();
    int d = points.dim();
    int n = points.size();
    double[] x = points.values();
    boolean first = assign == null;
    int[] a = first ? new int[n] : assign.clone();
    double[] u = first ? new double[n] : upper.clone();
    double[] l = first ? new double[n] : lower.clone();
    // a lower bound drops by the largest shift among the other centres: the largest, or the second
    // largest for the points of the centre that moved most
    double maxShift = 0;
    double secondShift = 0;
    int maxCentre = -1;
    if (!first) {
      for (int c = 0; c < k; c++) {
        if (shifts[c] > maxShift) {
          secondShift = maxShift;
          maxShift = shifts[c];
          maxCentre = c;
        } else if (shifts[c] > secondShift) {
          secondShift = shifts[c];
        }
      }
    }
    double[] scratch = new double[k];
    double[] sums = new double[k * d];
    long[] counts = new long[k];
    long searched = 0;
    for (int i = 0; i < n; i++) {
      boolean search = first;
      if (!first) {
        u[i] += shifts[a[i]];
        l[i] -= a[i] == maxCentre ? secondShift : maxShift;
        double bound = Math.max(halfGaps[a[i]], l[i]);
        if (u[i] > bound) {
          u[i] = Math.sqrt(centres.squaredDistance(x, i, a[i]));
          search = u[i] > bound;
        }
      }
      if (search) {
        searched++;
        centres.scores(x, i, scratch);
        int best = 0;
        int second = -1;
        for (int c = 1; c < k; c++) {
          if (scratch[c] < scratch[best]) {
            second = best;
            best = c;
          } else if (second < 0 || scratch[c] < scratch[second]) {
            second = c;
          }
        }
        a[i] = best;
        u[i] = Math.sqrt(centres.squaredDistance(x, i, best));
        if (second < 0) {
          l[i] = Double.POSITIVE_INFINITY;
        } else {
          double ds = Math.sqrt(centres.squaredDistance(x, i, second));
          l[i] = ds - SLACK * (1 + ds);
        }
      }
      int c = a[i];
      counts[c]++;
      for (int j = 0; j < d; j++) {
        sums[c * d + j] += x[i * d + j];
      }
    }
    // inertia = sum ||x||^2 - 2 sum_c c.S_c + sum_c n_c ||c||^2 (exact algebra; the points' norms are summed once)
    double inertia = sumOfSquares;
    for (int c = 0; c < k; c++) {
      double cs = 0;
      double cc = 0;
      for (int j = 0; j < d; j++) {
        double v = centres.at(c, j);
        cs += v * sums[c * d + j];
        cc += v * v;
      }
      inertia += counts[c] * cc - 2 * cs;
    }
    return new HamerlyBlock(points, sumOfSquares, a, u, l, new LloydStats(d, sums, counts, Math.max(0, inertia)), searched);
  }
}
