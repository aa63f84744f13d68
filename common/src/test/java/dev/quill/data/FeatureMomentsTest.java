package dev.quill.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureMomentsTest {
  @Test
  void add_fourVectors_exactMeanPopulationStdMinMax() {
    // Dimension 0: 1, 2, 3, 6 -> mean 3, squared deviations 4 + 1 + 0 + 9 = 14, std sqrt(14 / 4).
    // Dimension 1: 5, 5, 5, 5 -> mean 5, std 0.
    FeatureMoments m = new FeatureMoments(2);
    m.add(new double[] {1, 5}).add(new double[] {2, 5}).add(new double[] {3, 5}).add(new double[] {6, 5});
    assertEquals(4, m.count());
    assertArrayEquals(new double[] {3, 5}, m.mean(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(3.5), 0}, m.std(), 1e-12);
    assertArrayEquals(new double[] {1, 5}, m.min(), 0);
    assertArrayEquals(new double[] {6, 5}, m.max(), 0);
  }

  @Test
  void merge_twoPartitions_equalsOnePass() {
    FeatureMoments a = new FeatureMoments(1).add(new double[] {1}).add(new double[] {2});
    FeatureMoments b = new FeatureMoments(1).add(new double[] {3}).add(new double[] {6});
    FeatureMoments merged = a.merge(b).merge(new FeatureMoments(1));
    assertEquals(4, merged.count());
    assertEquals(3, merged.mean()[0], 1e-12);
    assertEquals(Math.sqrt(3.5), merged.std()[0], 1e-12);
    assertEquals(1, merged.min()[0], 0);
    assertEquals(6, merged.max()[0], 0);
  }

  @Test
  void quantile_tenValues_rankCeilPTimesM() {
    double[][] sample = new double[10][];
    for (int i = 0; i < 10; i++) {
      sample[i] = new double[] {10 - i, i * i};
    }
    // p = 0.01: rank ceil(0.1) = 1 -> the minimum; p = 0.99: rank ceil(9.9) = 10 -> the maximum; p = 0.5: rank 5.
    assertArrayEquals(new double[] {1, 0}, FeatureMoments.quantile(sample, 0.01), 0);
    assertArrayEquals(new double[] {10, 81}, FeatureMoments.quantile(sample, 0.99), 0);
    assertArrayEquals(new double[] {5, 16}, FeatureMoments.quantile(sample, 0.5), 0);
  }

  @Test
  void add_wrongLength_throws() {
    assertThrows(IllegalArgumentException.class, () -> new FeatureMoments(3).add(new double[] {1}));
  }
}
