package dev.quill.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogLogSlopeTest {

  @Test
  void fit_quadraticAndLinear_giveTwoAndOne() {
    double[] h = {16, 32, 64, 128, 256, 512};
    double[] quadratic = new double[h.length];
    double[] linear = new double[h.length];
    for (int i = 0; i < h.length; i++) {
      quadratic[i] = 0.003 * h[i] * h[i];
      linear[i] = 7 * h[i];
    }
    assertEquals(2.0, LogLogSlope.fit(h, quadratic), 1e-12);
    assertEquals(1.0, LogLogSlope.fit(h, linear), 1e-12);
  }

  @Test
  void fit_twoPoints_isTheLogRatio() {
    // y goes 1 -> 8 while x goes 1 -> 4: exponent log 8 / log 4 = 1.5
    assertEquals(1.5, LogLogSlope.fit(new double[] {1, 4}, new double[] {1, 8}), 1e-12);
  }

  @Test
  void fit_nonPositiveValue_rejected() {
    assertThrows(IllegalArgumentException.class, () -> LogLogSlope.fit(new double[] {1, 2}, new double[] {1, 0}));
  }
}
