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
   * The same statistics with {@code mean} and {@code std} pooled per channel of a channel-major image
   * (channel {@code c} = the {@code dim / channels} consecutive features from {@code c * dim / channels}):
   * every feature of channel {@code c} gets the mean and population std of all its pixel values over all
   * frames, {@code mu_c = avg_i mu_i} and {@code sigma_c^2 = avg_i (sigma_i^2 + mu_i^2) - mu_c^2} (every
   * pixel has the same count). {@code min}, {@code max}, {@code q01} and {@code q99} stay per feature.
   *
   * <p>This is how image inputs are normalized in practice (per-channel mean and std, as torchvision's
   * {@code Normalize}): per-pixel statistics give a pixel that is lit in a handful of frames a tiny std, so a
   * small change to it (an occlusion patch in saliency scoring) becomes a huge normalized input.
   *
   * @throws IllegalArgumentException unless {@code channels} is positive and divides the dimension
   */
  public FeatureStats pooledPerChannel(int channels) {
    int d = mean.length;
    if (channels < 1 || d % channels != 0) {
      throw new IllegalArgumentException("cannot pool " + d + " features into " + channels + " equal channels");
    }
    int per = d / channels;
    double[] m = new double[d];
    double[] s = new double[d];
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      double sumSq = 0;
      for (int i = c * per; i < (c + 1) * per; i++) {
        sum += mean[i];
        sumSq += std[i] * std[i] + mean[i] * mean[i];
      }
      double mu = sum / per;
      double sigma = Math.sqrt(Math.max(0, sumSq / per - mu * mu));
      java.util.Arrays.fill(m, c * per, (c + 1) * per, mu);
      java.util.Arrays.fill(s, c * per, (c + 1) * per, sigma);
    }
    return new FeatureStats(m, s, min, max, q01, q99, count);
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
