package dev.quill.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * Per-dimension statistics of one vector feature (LeRobot {@code stats.json} keys plus OpenVLA's
 * {@code q01}/{@code q99}). All arrays have the feature's dimension.
 *
 * @param mean mean
 * @param std population standard deviation
 * @param min minimum
 * @param max maximum
 * @param q01 approximate 1st percentile
 * @param q99 approximate 99th percentile
 * @param count number of values per dimension
 */
public record FeatureStats(
    @JsonProperty("mean") double[] mean,
    @JsonProperty("std") double[] std,
    @JsonProperty("min") double[] min,
    @JsonProperty("max") double[] max,
    @JsonProperty("q01") double[] q01,
    @JsonProperty("q99") double[] q99,
    @JsonProperty("count") long count) implements Serializable {

  /** Checks that every array has the same length. */
  public FeatureStats {
    int d = mean.length;
    for (double[] a : new double[][] {std, min, max, q01, q99}) {
      if (a.length != d) {
        throw new IllegalArgumentException("feature stats arrays differ in length: " + d + " vs " + a.length);
      }
    }
  }

  /** Dimension of the feature. */
  public int dim() {
    return mean.length;
  }

  /**
   * Normalizes {@code x} to zero mean and unit variance per dimension into {@code out}; a dimension with
   * (near) zero spread is only centred.
   */
  public void normalize(double[] x, float[] out, int offset) {
    for (int i = 0; i < mean.length; i++) {
      double s = std[i] > 1e-8 ? std[i] : 1.0;
      out[offset + i] = (float) ((x[i] - mean[i]) / s);
    }
  }
}
