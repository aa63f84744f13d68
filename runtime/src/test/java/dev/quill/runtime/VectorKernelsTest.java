package dev.quill.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Vector API loops give bit for bit the scalar loops' results (this module's tests run with the module). */
class VectorKernelsTest {
  @Test
  void accumulate_vectorVsScalar_bitIdenticalForEveryFormatAndOddWidths() {
    assertTrue(DenseLayer.VECTORIZED, "tests run with --add-modules jdk.incubator.vector on an 8-lane CPU");
    SplittableRandom rng = new SplittableRandom(4);
    for (int nOut : new int[] {1, 7, 8, 9, 17, 33, 256, 257}) {
      int nIn = 13;
      float[] w = new float[nIn * nOut];
      int[] q8 = new int[nIn * nOut];
      int[] q4 = new int[nIn * nOut];
      for (int k = 0; k < w.length; k++) {
        w[k] = (float) rng.nextGaussian();
        q8[k] = rng.nextInt(-127, 128);
        q4[k] = rng.nextInt(-8, 8);
      }
      float[] x = new float[nIn];
      for (int i = 0; i < nIn; i++) {
        x[i] = i % 3 == 0 ? 0f : (float) rng.nextGaussian();
      }
      DenseLayer[] layers = {
          DenseLayer.fp32(nIn, nOut, Activation.RELU, w, new float[nOut]),
          DenseLayer.quantized(nIn, nOut, WeightFormat.INT8, Activation.RELU, q8, new float[] {0.5f}, new float[nOut]),
          DenseLayer.quantized(nIn, nOut, WeightFormat.INT4, Activation.RELU, q4, new float[] {0.5f}, new float[nOut])};
      for (DenseLayer l : layers) {
        float[] vector = new float[nOut];
        float[] scalar = new float[nOut];
        l.accumulate(x, vector, true);
        l.accumulate(x, scalar, false);
        assertArrayEquals(scalar, vector, 0f, l.format() + " nOut " + nOut);
        float[] expected = new float[nOut];
        for (int o = 0; o < nOut; o++) {
          for (int i = 0; i < nIn; i++) {
            if (x[i] != 0f) {
              expected[o] += x[i] * (l.format() == WeightFormat.FP32 ? l.weight(i, o) : l.level(i, o));
            }
          }
        }
        assertArrayEquals(expected, vector, 0f, l.format() + " nOut " + nOut + " against the definition");
      }
    }
  }
}
