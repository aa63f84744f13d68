package dev.quill.spark.kmeans;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;

/**
 * One partition's points, packed row-major into one {@code double} array (point i, dimension j at
 * {@code values[i * dim + j]}), so that a Lloyd pass reads contiguous memory instead of one object per
 * point. Immutable by convention: nothing writes {@code values} after construction.
 *
 * @param dim dimension of every point, at least 1
 * @param values {@code size() * dim} coordinates
 */
public record PointBlock(int dim, double[] values) implements Serializable {
  /** Checks that {@code values} holds whole points. */
  public PointBlock {
    if (dim < 1) {
      throw new IllegalArgumentException("point dimension " + dim + " must be at least 1");
    }
    if (values.length % dim != 0) {
      throw new IllegalArgumentException(values.length + " coordinates are not whole points of dimension " + dim);
    }
  }

  /** Number of points. */
  public int size() {
    return values.length / dim;
  }

  /** A copy of point {@code i}. */
  public double[] point(int i) {
    return Arrays.copyOfRange(values, i * dim, (i + 1) * dim);
  }

  /**
   * Packs {@code points} (all of length {@code dim}; the arrays are copied) into one block.
   *
   * @throws IllegalArgumentException naming the point's index when its length is not {@code dim}
   */
  public static PointBlock pack(Iterator<double[]> points, int dim) {
    double[] v = new double[1024 * dim];
    int n = 0;
    while (points.hasNext()) {
      double[] p = points.next();
      if (p.length != dim) {
        throw new IllegalArgumentException("point " + n + " of the partition has " + p.length + " values, expected " + dim);
      }
      if ((n + 1) * dim > v.length) {
        v = Arrays.copyOf(v, v.length * 2);
      }
      System.arraycopy(p, 0, v, n * dim, dim);
      n++;
    }
    return new PointBlock(dim, Arrays.copyOf(v, n * dim));
  }
}
