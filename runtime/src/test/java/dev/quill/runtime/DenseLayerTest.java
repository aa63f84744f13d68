package dev.quill.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DenseLayerTest {
  // W = [[1, -2, 3], [0.5, 4, -1]] ([nIn=2][nOut=3]), b = [0.1, 0.2, -10]
  private static final float[] W = {1f, -2f, 3f, 0.5f, 4f, -1f};
  private static final float[] B = {0.1f, 0.2f, -10f};

  @Test
  void forward_fp32Relu_handComputed() {
    DenseLayer l = DenseLayer.fp32(2, 3, Activation.RELU, W, B);
    float[] y = new float[3];
    l.forward(new float[] {2f, 1f}, y);
    // x W + b = [2 + 0.5 + 0.1, -4 + 4 + 0.2, 6 - 1 - 10] = [2.6, 0.2, -5] -> relu
    assertArrayEquals(new float[] {2.6f, 0.2f, 0f}, y, 1e-6f);
  }

  @Test
  void forward_int8PerChannel_scalesEachOutput() {
    int[] q = {10, -20, 127, 5, 40, -127};
    float[] s = {0.1f, 0.1f, 3f / 127};
    DenseLayer l = DenseLayer.quantized(2, 3, WeightFormat.INT8, Activation.IDENTITY, q, s, B);
    float[] y = new float[3];
    l.forward(new float[] {2f, 1f}, y);
    // effective W = [[1, -2, 3], [0.5, 4, -3]]: [2.6, 0.2, 6 - 3 - 10 = -7]
    assertArrayEquals(new float[] {2.6f, 0.2f, -7f}, y, 1e-5f);
    assertEquals(-127, l.level(1, 2));
  }

  @Test
  void forward_int4OddWidthPerTensor_packsHalvesAndMatchesLevels() {
    int[] q = {1, -2, 3, -8, 7, -1};
    DenseLayer l = DenseLayer.quantized(2, 3, WeightFormat.INT4, Activation.IDENTITY, q, new float[] {0.5f}, new float[3]);
    for (int k = 0; k < q.length; k++) {
      assertEquals(q[k], l.level(k / 3, k % 3), "level " + k);
    }
    // row 0: h = 2 bytes: byte0 = (1 & 0xF) | (3 << 4) = 0x31, byte1 = (-2 & 0xF) = 0x0E
    assertArrayEquals(new byte[] {0x31, 0x0E, (byte) 0xF8, 0x07}, l.storedLevels());
    float[] y = new float[3];
    l.forward(new float[] {1f, 2f}, y);
    // 0.5 * [1 - 16, -2 + 14, 3 - 2] = [-7.5, 6, 0.5]
    assertArrayEquals(new float[] {-7.5f, 6f, 0.5f}, y, 1e-6f);
  }

  @Test
  void quantized_levelOutsideInt4_namesPositionAndRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DenseLayer.quantized(1, 2, WeightFormat.INT4, Activation.RELU, new int[] {0, 9}, new float[] {1f}, new float[2]));
    assertTrue(e.getMessage().contains("level 9 at [0, 1]") && e.getMessage().contains("[-8, 7]"), e.getMessage());
  }
}
