package dev.quill.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureStatsTest {
  @Test
  void pooledPerChannel_twoChannelsOfTwoPixels_poolsMeanAndStdKeepsRanges() {
    // Channel 0: pixel 0 takes 0, 2 (mean 1, std 1), pixel 1 takes 4, 4 (mean 4, std 0): all four values 0, 2, 4, 4
    // have mean 2.5 and population variance (6.25 + 0.25 + 2.25 + 2.25) / 4 = 2.75.
    // Channel 1: pixel 2 is never lit (mean 0, std 0), pixel 3 takes 0, 1 (mean 0.5, std 0.5): values 0, 0, 0, 1,
    // mean 0.25, variance (3 * 0.0625 + 0.5625) / 4 = 0.1875.
    double[] mean = {1, 4, 0, 0.5};
    double[] std = {1, 0, 0, 0.5};
    double[] min = {0, 4, 0, 0};
    double[] max = {2, 4, 0, 1};
    FeatureStats pooled = new FeatureStats(mean, std, min, max, min, max, 2).pooledPerChannel(2);
    assertArrayEquals(new double[] {2.5, 2.5, 0.25, 0.25}, pooled.mean(), 1e-12);
    double s0 = Math.sqrt(2.75);
    double s1 = Math.sqrt(0.1875);
    assertArrayEquals(new double[] {s0, s0, s1, s1}, pooled.std(), 1e-12);
    assertArrayEquals(min, pooled.min(), 0);
    assertArrayEquals(max, pooled.q99(), 0);
    assertEquals(2, pooled.count());
  }

  @Test
  void pooledPerChannel_channelsNotDividingDimension_fails() {
    FeatureStats s = new FeatureStats(new double[3], new double[3], new double[3], new double[3], new double[3],
        new double[3], 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.pooledPerChannel(2));
    assertEquals("cannot pool 3 features into 2 equal channels", e.getMessage());
  }
}
