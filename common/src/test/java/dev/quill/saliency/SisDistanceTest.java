package dev.quill.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quill.quant.uniform.UniformBinTokenizer;
import org.junit.jupiter.api.Test;

class SisDistanceTest {
  /** Two heads of 3 uniform bins on [-1, 1]: bin centres -2/3, 0, 2/3. */
  private static final UniformBinTokenizer TOK = new UniformBinTokenizer(3, new double[] {-1, -1}, new double[] {1, 1});
  private static final float[] Z = {1, 2, 3, 0, 0, 0};
  private static final float[] ZK = {1, 2, 2, 0, 1, 0};
  private static final double[] S = {0, 0};

  @Test
  void logitMse_isHalfTheSquaredLogitDistance() {
    assertEquals(0.5 * (1 + 1), SisDistance.of("logitMse", TOK).between(S, Z, ZK), 1e-12);
  }

  @Test
  void kl_sumsThePerHeadKl_unperturbedFirst() {
    // KL(softmax(1,2,3) || softmax(1,2,2)) + KL(uniform || softmax(0,1,0)) = 0.23912889 (by hand from the softmaxes
    // (0.0900306, 0.2447285, 0.6652410), (0.1553624, 0.4223188, 0.4223188), (1/3)^3, (0.2119416, 0.5761169, 0.2119416))
    assertEquals(0.2391288873, SisDistance.of("kl", TOK).between(S, Z, ZK), 1e-8);
  }

  @Test
  void probMse_isHalfTheSquaredProbabilityDistance() {
    // sum of squared probability differences over both heads = 6 * 0.0305389210
    assertEquals(0.5 * 6 * 0.0305389210, SisDistance.of("probMse", TOK).between(S, Z, ZK), 1e-8);
  }

  @Test
  void action_decodesTheArgmaxTokens() {
    // argmax tokens (2, 0) -> action (2/3, -2/3); perturbed (1, 1) (first maximum on ties) -> (0, 0)
    assertArrayEquals(new int[] {1, 1}, HeadSoftmax.argmax(ZK, new int[] {3, 3}));
    assertEquals(0.5 * (4.0 / 9 + 4.0 / 9), SisDistance.of("action", TOK).between(S, Z, ZK), 1e-12);
  }

  @Test
  void scorer_withKl_averagesOverLocations() {
    SaliencyScorer scorer = new SaliencyScorer(b -> {
      float[][] z = new float[b.length][];
      for (int i = 0; i < b.length; i++) {
        z[i] = b[i][0] == 0 ? ZK : Z;
      }
      return z;
    }, MeanOcclusion.perFeature(new double[] {0, 5}), SisDistance.of("kl", TOK));
    // location 0 moves the output from Z to ZK (0.23912889), location 1 leaves it at Z (0): mean 0.11956444
    assertArrayEquals(new double[] {0.2391288873 / 2}, scorer.score(new double[][] {{1, 1}}), 1e-8);
  }

  @Test
  void unknownName_isRejected() {
    assertEquals("saliency distance must be one of [logitMse, kl, probMse, action], got l1",
        assertThrows(IllegalArgumentException.class, () -> SisDistance.of("l1", TOK)).getMessage());
  }
}
