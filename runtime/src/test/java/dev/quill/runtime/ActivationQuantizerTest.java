package dev.quill.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ActivationQuantizerTest {
  @Test
  void apply_unsigned4Bits_clipsToZeroAndFifteenStepsRoundsHalfUp() {
    ActivationQuantizer q = new ActivationQuantizer(4, false, 0.5f);
    float[] y = {-1f, 0.2f, 0.25f, 0.74f, 3.9f, 7.5f, 100f, 9f};
    q.apply(y, 7);
    // v / s = [-2, 0.4, 0.5, 1.48, 7.8, 15, 200] -> clip [0, 15] -> round [0, 0, 1, 1, 8, 15, 15] -> * 0.5
    assertArrayEquals(new float[] {0f, 0f, 0.5f, 0.5f, 4f, 7.5f, 7.5f, 9f}, y, 0f);
    assertEquals(0, q.qN());
    assertEquals(15, q.qP());
  }

  @Test
  void apply_signed4Bits_roundsHalvesAwayFromZeroAndClipsToMinus8Plus7() {
    ActivationQuantizer q = new ActivationQuantizer(4, true, 1f);
    float[] y = {-9f, -2.5f, -0.5f, 0.5f, 2.5f, 7.6f, -0.49f};
    q.apply(y, y.length);
    assertArrayEquals(new float[] {-8f, -3f, -1f, 1f, 3f, 7f, -0f}, y, 0f);
    assertEquals(8, q.qN());
    assertEquals(7, q.qP());
    assertEquals(-3, q.level(-2.5f));
  }

  @Test
  void roundHalfAway_justBelowHalf_roundsDown() {
    assertEquals(0f, ActivationQuantizer.roundHalfAway(Math.nextDown(0.5f)), 0f);
    assertEquals(2f, ActivationQuantizer.roundHalfAway(Math.nextDown(2.5f)), 0f);
    assertEquals(3f, ActivationQuantizer.roundHalfAway(2.5f), 0f);
    assertEquals(8388609f, ActivationQuantizer.roundHalfAway(8388609f), 0f);
  }

  @Test
  void constructor_badBitsOrStep_namesValueAndRange() {
    IllegalArgumentException bits = assertThrows(IllegalArgumentException.class, () -> new ActivationQuantizer(1, false, 1f));
    assertEquals("activation quantizer: bits = 1, allowed 2 to 16", bits.getMessage());
    IllegalArgumentException step = assertThrows(IllegalArgumentException.class, () -> new ActivationQuantizer(4, false, 0f));
    assertEquals("activation quantizer: step = 0.0, must be finite and > 0", step.getMessage());
  }

  @Test
  void forward_denseLayerWithQuantizer_quantizesAfterRelu() {
    // W = [[1, -2], [0.5, 4]], b = [0.1, 0.2]; x = [2, 1]: x W + b = [2.6, 0.2] -> relu -> /0.4 = [6.5, 0.5]
    // -> round half away [7, 1] -> * 0.4
    DenseLayer l = DenseLayer.fp32(2, 2, Activation.RELU, new float[] {1f, -2f, 0.5f, 4f}, new float[] {0.1f, 0.2f})
        .withQuantizer(new ActivationQuantizer(2, false, 0.4f));
    float[] y = new float[2];
    l.forward(new float[] {2f, 1f}, y);
    // 2 bits unsigned: Q_P = 3, so 6.5 clips to 3: [3 * 0.4, 1 * 0.4]
    assertArrayEquals(new float[] {3 * 0.4f, 0.4f}, y, 0f);
  }
}
