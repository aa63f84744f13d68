package dev.quill.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Exact per-dimension count, mean, population variance, minimum and maximum of a stream of vectors,
 * mergeable across partitions: Welford's update per vector and Chan et al.'s pairwise combination
 * (Chan, Golub &amp; LeVeque 1979, "Updating formulae and a pairwise algorithm for computing sample
 * variances"), in double precision. Used for wide features (image observations) where one SQL aggregate
 * group per dimension would explode every row into one row per dimension. Not thread-safe.
 */
public final class FeatureMoments implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] mean;
  private final double[] m2;
  private final double[] min;
  private final double[] max;
  private long count;

  /** Empty moments of a {@code dim}-dimensional feature. */
  public FeatureMoments(int dim) {
    mean = new double[dim];
    m2 = new double[dim];
    min = new double[dim];
    max = new double[dim];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  /**
   * Adds one vector; returns this.
   *
   * @throws IllegalArgumentException if its length is not the feature's dimension
   */
  public FeatureMoments add(double[] x) {
    if (x.length != mean.length) {
      throw new IllegalArgumentException("vector of length " + x.length + ", expected " + mean.length);
    }
    count++;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[i];
      mean[i] += d / count;
      m2[i] += d * (x[i] - mean[i]);
      min[i] = Math.min(min[i], x[i]);
      max[i] = Math.max(max[i], x[i]);
    }
    return this;
  }

  /** Merges {@code o} (same dimension) into this; returns this. */
  public FeatureMoments merge(FeatureMoments o) {
    if (o.count == 0) {
      return this;
    }
    long n = count + o.count;
    for (int i = 0; i < mean.length; i++) {
      double d = o.mean[i] - mean[i];
      m2[i] += o.m2[i] + d * d * ((double) count * o.count / n);
      mean[i] += d * o.count / n;
      min[i] = Math.min(min[i], o.min[i]);
      max[i] = Math.max(max[i], o.max[i]);
    }
    count = n;
    return this;
  }

  /** Vectors added. */
  public long count() {
    return count;
  }

  /** Mean per dimension (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** Population standard deviation per dimension, {@code sqrt(M2 / n)} (Spark's {@code stddev_pop}). */
  public double[] std() {
    double[] s = new double[mean.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = count == 0 ? Double.NaN : Math.sqrt(Math.max(0, m2[i] / count));
    }
    return s;
  }

  /** Minimum per dimension (a copy). */
  public double[] min() {
    return min.clone();
  }

  /** Maximum per dimension (a copy). */
  public double[] max() {
    return max.clone();
  }

  /**
   * The {@code p}-quantile per dimension of {@code sample} (vectors of this feature's dimension): per
   * dimension the smallest sampled value with at least a fraction {@code p} of the sample at or below it,
   * i.e. the value of rank {@code ceil(p * m)} of {@code m} (the definition of Spark's
   * {@code percentile_approx}, here without approximation).
   */
  public static double[] quantile(double[][] sample, double p) {
    if (sample.length == 0) {
      throw new IllegalArgumentException("quantile of an empty sample");
    }
    int dim = sample[0].length;
    int rank = Math.max(1, (int) Math.ceil(p * sample.length));
    double[] q = new double[dim];
    double[] column = new double[sample.length];
    for (int d = 0; d < dim; d++) {
      for (int i = 0; i < sample.length; i++) {
        column[i] = sample[i][d];
      }
      Arrays.sort(column);
      q[d] = column[rank - 1];
    }
    return q;
  }
}
