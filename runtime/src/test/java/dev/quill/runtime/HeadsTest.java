package dev.quill.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HeadsTest {
  // identity output layer over a 4-wide hidden vector: logits = hidden, heads of 2 tokens each
  private static DenseLayer identity4() {
    float[] w = new float[16];
    for (int i = 0; i < 4; i++) {
      w[i * 4 + i] = 1f;
    }
    return DenseLayer.fp32(4, 4, Activation.IDENTITY, w, new float[4]);
  }

  @Test
  void factorized_select_argmaxPerSliceFirstOnTies() {
    FactorizedHead head = new FactorizedHead(identity4(), new int[] {2, 2});
    int[] tokens = new int[2];
    head.select(new float[] {0.1f, 0.9f, 0.5f, 0.5f}, new float[4], tokens);
    assertArrayEquals(new int[] {1, 0}, tokens);
  }

  @Test
  void autoregressive_select_addsEmbeddingOfEarlierToken() {
    // E[1][0] rows: token0 = 0 -> [0, 0], token0 = 1 -> [0, 1]
    float[][][] e = {{}, {{0f, 0f, 0f, 1f}}};
    AutoregressiveHead head = new AutoregressiveHead(identity4(), new int[] {2, 2}, e);
    int[] tokens = new int[2];
    float[] out = new float[4];
    head.select(new float[] {0.1f, 0.9f, 0.6f, 0.5f}, out, tokens);
    // token0 = 1, so logits of token 1 become [0.6, 1.5] -> token 1
    assertArrayEquals(new int[] {1, 1}, tokens);
    assertArrayEquals(new float[] {0.1f, 0.9f, 0.6f, 1.5f}, out, 1e-6f);
    head.select(new float[] {0.9f, 0.1f, 0.6f, 0.5f}, out, tokens);
    assertArrayEquals(new int[] {0, 0}, tokens);
  }
}
