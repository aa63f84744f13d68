package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReluPassTest {
  @Test
  void forward_handComputed_addsBiasThenClampsAtZero() {
    float[] x = {1f, -2f, 0.5f, -0.5f, -1f, 3f};
    ReluPass.forward(x, 3, 2, new float[] {0.5f, 1f});
    assertArrayEquals(new float[] {1.5f, 0f, 1f, 0.5f, 0f, 4f}, x);
  }

  @Test
  void backward_handComputed_masksWhereTheActivationIsZero_andSumsColumns() {
    float[] d = {2f, 3f, 4f, 5f, -1f, 7f};
    float[] a = {1.5f, 0f, 0f, 0.5f, 2f, 1f};
    float[] biasGrad = {99f, 99f};
    ReluPass.backward(d, a, 3, 2, biasGrad);
    assertArrayEquals(new float[] {2f, 0f, 0f, 5f, -1f, 7f}, d);
    assertArrayEquals(new float[] {1f, 12f}, biasGrad);
  }

  @Test
  void vectorPath_equalsThePlainLoopsFloatForFloat() {
    int rows = 9;
    int width = 24;
    assertTrue(SoftmaxLoss.vectorized(width), "the test JVM runs with the Vector API module");
    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[rows * width];
    float[] d = new float[rows * width];
    float[] bias = new float[width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
      d[i] = (float) rng.nextGaussian();
    }
    for (int j = 0; j < width; j++) {
      bias[j] = (float) rng.nextGaussian();
    }
    x[5] = -bias[5];
    float[] act = x.clone();
    ReluPass.forward(act, rows, width, bias);
    float[] dOut = d.clone();
    float[] biasGrad = new float[width];
    ReluPass.backward(dOut, act, rows, width, biasGrad);
    float[] wantAct = new float[x.length];
    float[] wantD = new float[x.length];
    float[] wantGrad = new float[width];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < width; j++) {
        int i = r * width + j;
        wantAct[i] = Math.max(x[i] + bias[j], 0f);
        wantD[i] = wantAct[i] > 0f ? d[i] : 0f;
        wantGrad[j] += wantD[i];
      }
    }
    assertArrayEquals(wantAct, act);
    assertArrayEquals(wantD, dOut);
    assertArrayEquals(wantGrad, biasGrad);
    // A pre-activation of exactly 0 passes no gradient, as DL4J's ReLU derivative.
    assertTrue(act[5] == 0f && dOut[5] == 0f);
  }
}
