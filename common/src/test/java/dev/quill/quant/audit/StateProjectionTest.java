package dev.quill.quant.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StateProjectionTest {
  @Test
  void of_narrowStateOrZero_isIdentity() {
    double[] z = {1, 2, 3};
    assertSame(z, StateProjection.of(3, 64, 1).apply(z));
    assertSame(z, StateProjection.of(3, 0, 1).apply(z));
    assertTrue(StateProjection.of(3, 3, 1).isIdentity());
  }

  @Test
  void apply_isLinearAndSeeded() {
    StateProjection p = StateProjection.of(10, 4, 7);
    double[] a = new double[10];
    double[] b = new double[10];
    double[] sum = new double[10];
    for (int i = 0; i < 10; i++) {
      a[i] = i;
      b[i] = 1 - 0.5 * i;
      sum[i] = a[i] + b[i];
    }
    double[] pa = p.apply(a);
    double[] pb = p.apply(b);
    double[] ps = p.apply(sum);
    assertEquals(4, ps.length);
    for (int i = 0; i < 4; i++) {
      assertEquals(pa[i] + pb[i], ps[i], 1e-9);
    }
    assertArrayEquals(pa, StateProjection.of(10, 4, 7).apply(a), 0);
  }

  @Test
  void apply_3072To64_keepsPairwiseDistancesWithin35Percent() {
    // Johnson-Lindenstrauss: with k = 64 the squared-distance ratio has std sqrt(2/64) = 0.18, so a distance
    // ratio outside [0.65, 1.35] is a > 3.5-sigma event for each of the 190 pairs.
    StateProjection p = StateProjection.of(3072, 64, 11);
    SplittableRandom rng = new SplittableRandom(3);
    double[][] x = new double[20][3072];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = rng.nextDouble() * 2 - 1;
      }
    }
    for (int i = 0; i < x.length; i++) {
      for (int k = i + 1; k < x.length; k++) {
        double ratio = distance(p.apply(x[i]), p.apply(x[k])) / distance(x[i], x[k]);
        assertTrue(ratio > 0.65 && ratio < 1.35, "pair " + i + "," + k + " ratio " + ratio);
      }
    }
  }

  @Test
  void apply_wrongDimension_throws() {
    assertThrows(IllegalArgumentException.class, () -> StateProjection.of(10, 4, 1).apply(new double[3]));
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }
}
