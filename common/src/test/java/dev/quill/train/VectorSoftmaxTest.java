package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The common module's tests run with {@code --add-modules jdk.incubator.vector} (common/pom.xml). */
class VectorSoftmaxTest {
  @Test
  void softmaxLoss_testJvm_takesTheVectorPathForWidthsOfEight() {
    assertTrue(SoftmaxLoss.vectorized(256));
    assertTrue(!SoftmaxLoss.vectorized(12));
  }

  @Test
  void exp_wholeArgumentRangeOfTheSoftmax_relativeErrorBelow2e7() {
    // Arguments are z - max(z) <= 0; below -87 the result is clamped to e^-87 (checked separately).
    float[] x = new float[8];
    float[] y = new float[8];
    double worst = 0;
    int samples = 1 << 21;
    for (int i = 0; i < samples; i += 8) {
      for (int k = 0; k < 8; k++) {
        x[k] = -87f * (i + k) / samples;
      }
      VectorSoftmax.exp(FloatVector.fromArray(FloatVector.SPECIES_256, x, 0)).intoArray(y, 0);
      for (int k = 0; k < 8; k++) {
        worst = Math.max(worst, Math.abs(y[k] - Math.exp(x[k])) / Math.exp(x[k]));
      }
    }
    assertTrue(worst < 2e-7, "max relative error " + worst);
    float[] edge = {0, -1000, Float.NEGATIVE_INFINITY, (float) -Math.log(2), -87, -88, -0.5f, -20};
    VectorSoftmax.exp(FloatVector.fromArray(FloatVector.SPECIES_256, edge, 0)).intoArray(y, 0);
    assertEquals(1f, y[0], 0f);
    assertEquals(Math.exp(-87), y[1], 1e-44);
    assertEquals(Math.exp(-87), y[2], 1e-44);
    assertEquals(0.5, y[3], 1e-7);
  }

  @Test
  void run_twoHandComputedRows_lossAndScaledGradient() {
    float ln2 = (float) Math.log(2);
    float ln3 = (float) Math.log(3);
    float ln4 = (float) Math.log(4);
    // Row 0: e^z = 1, 2, 3, 4, 1, 1, 1, 1 (sum 14), label 3: loss ln 14 - ln 4 = ln 3.5 = 1.2527630.
    // Row 1: eight equal logits 5, label 0 (flat index 8): loss ln 8 = 2.0794415.
    float[] z = {0, ln2, ln3, ln4, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5};
    float[] delta = new float[16];
    double loss = VectorSoftmax.run(z, delta, 2, 8, new int[] {3, 8}, 0.5f);
    assertEquals(1.2527630 + 2.0794415, loss, 1e-6);
    // delta = 0.5 (p - onehot): row 0 p = e^z / 14, row 1 p = 1/8.
    float[] expected = {1 / 28f, 2 / 28f, 3 / 28f, (4 / 14f - 1) / 2, 1 / 28f, 1 / 28f, 1 / 28f, 1 / 28f,
        (1 / 8f - 1) / 2, 1 / 16f, 1 / 16f, 1 / 16f, 1 / 16f, 1 / 16f, 1 / 16f, 1 / 16f};
    for (int i = 0; i < 16; i++) {
      assertEquals(expected[i], delta[i], 2e-7, "delta[" + i + "]");
    }
  }
}
