package dev.quill.quant.trap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerInvariants;
import org.junit.jupiter.api.Test;

class Theorem6QuantizerTest {
  private static final double EPS = 1.0 / 32;
  private final Theorem6Quantizer q = Theorem6Quantizer.auditInstance(EPS);

  @Test
  void regions_decodeToTheConstructionsActions() {
    assertEquals(128, q.encodeState(0)); // I_P, n = 4 / eps = 128
    assertEquals(1.7 * EPS / 0.3, q.quantizeState(0), 1e-15);
    assertEquals(1.0, q.quantizeState(0.05), 0); // I_T1 = [0.0375, 0.06875]
    assertEquals(0.02, q.quantizeState(0.31), 1e-12); // I_T2 = [0.3075, 0.31375]: 2.2 * 0.96 * eps / 0.3 - 0.2
    assertEquals(89, q.encodeState(1)); // floor((atan 1 + 2) / eps)
    assertEquals(-2 + 89.5 * EPS, q.quantizeState(1), 1e-15);
  }

  @Test
  void deployed_isTrappedWithConstantError_expertIsNot() {
    double eps = 1.0 / 512;
    Theorem6Quantizer q = Theorem6Quantizer.auditInstance(eps);
    double x = 0;
    double deployedErr = 0;
    for (int h = 0; h < 200; h++) {
      double u = q.quantizeState(x);
      if (h >= 2) {
        deployedErr += Math.abs(u - Math.atan(x));
      }
      x = 0.2 * x + 0.3 * u;
    }
    assertTrue(deployedErr / 198 > 0.4, "deployed error per step " + deployedErr / 198);
    double xe = 1.5;
    double expertErr = 0;
    for (int h = 0; h < 2000; h++) {
      expertErr += Math.abs(q.quantizeState(xe) - Math.atan(xe));
      xe = 0.2 * xe + 0.3 * Math.atan(xe);
    }
    // in-distribution: x contracts into I_P, where the error is (d + 1/2) eps / B = 5.67 eps, plus a transient
    // (one pass through I_T1 costs about 1) that fades as 1 / H
    assertTrue(expertErr / 2000 < 6.5 * eps, "in-distribution error per step " + expertErr / 2000);
  }

  @Test
  void invariants() {
    TokenizerInvariants.badInput(q);
    TokenizerInvariants.fileRoundTrip(q);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Theorem6Quantizer(0.2, 0.3, 1, 0.6, EPS));
    assertTrue(e.getMessage().contains("d > k/2 > B/(1-A-B)"), e.getMessage());
  }

  @Test
  void goldenFile_v1_loadsAndEncodesIdentically() {
    ActionTokenizer golden = TokenizerInvariants.golden("tokenizer-theorem6-v1.json");
    assertEquals(q, golden);
    assertArrayEquals(new int[] {129}, golden.encode(new double[] {Math.atan(0.05)}));
  }
}
