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

  /**
   * Two rows of 8 logits. Row 0: e^z = 1, 2, 3, 4, 1, 1, 1, 1 (sum 14). Row 1: eight equal logits 5.
   */
  private static float[] twoRows() {
    float ln2 = (float) Math.log(2);
    float ln3 = (float) Math.log(3);
    float ln4 = (float) Math.log(4);
    return new float[] {0, ln2, ln3, ln4, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5};
  }

  @Test
  void run_twoHandComputedRows_lossAndScaledGradient() {
    // Row 0, label 3: loss ln 14 - ln 4 = ln 3.5 = 1.2527630. Row 1, label 0 (flat index 8): loss ln 8 = 2.0794415.
    float[] z = twoRows();
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

  @Test
  void run_withFoldedBias_addsTheHeadsBiasAndSumsTheGradientPerColumn() {
    float ln4 = (float) Math.log(4);
    // Two heads of 8 bins, two examples: rows 0 and 2 are head 0, rows 1 and 3 head 1. Logits without bias are 0
    // everywhere; head 0's bias is (0, ln2, ln3, ln4, 0, 0, 0, 0), head 1's is 5 everywhere. So rows 0 and 2 are
    // row 0 of the test above (e^z = 1, 2, 3, 4, 1, 1, 1, 1, sum 14) and rows 1 and 3 its row 1 (uniform).
    float[] bias = twoRows();
    float[] z = new float[32];
    float[] delta = new float[32];
    float[] biasGrad = new float[16];
    int[] labels = {3, 8, 16, 31};
    double loss = VectorSoftmax.run(z, delta, 4, 8, labels, 0.5f, bias, biasGrad, 2);
    // Losses: ln 3.5 (label 3), ln 8, ln 14 - ln 1 = ln 14 (label 0 of row 2), ln 8.
    assertEquals(Math.log(3.5) + Math.log(8) + Math.log(14) + Math.log(8), loss, 1e-5);
    assertEquals(ln4, z[3], 0f, "the biased logits are written back");
    assertEquals(5f, z[31], 0f);
    // Bias gradient: the column sums of delta over the rows of each head.
    for (int h = 0; h < 2; h++) {
      for (int j = 0; j < 8; j++) {
        float expected = delta[h * 8 + j] + delta[16 + h * 8 + j];
        assertEquals(expected, biasGrad[h * 8 + j], 1e-7f, "biasGrad[" + (h * 8 + j) + "]");
      }
    }
    // By hand: head 0 column 3 = 0.5 (4/14 - 1) + 0.5 (4/14); column 0 = 0.5 (1/14) + 0.5 (1/14 - 1).
    assertEquals(0.5f * (8 / 14f - 1), biasGrad[3], 1e-7f);
    assertEquals(0.5f * (2 / 14f - 1), biasGrad[0], 1e-7f);
    // Head 1: column 0 = 0.5 (1/8 - 1) + 0.5 (1/8); column 7 = 0.5 (1/8) + 0.5 (1/8 - 1).
    assertEquals(0.5f * (2 / 8f - 1), biasGrad[8], 1e-7f);
    assertEquals(0.5f * (2 / 8f - 1), biasGrad[15], 1e-7f);
  }
}
