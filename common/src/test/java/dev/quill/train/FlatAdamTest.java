package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

class FlatAdamTest {
  private static final int N = 7;

  private static FlatAdam adam() {
    AdamUpdater updater = new AdamUpdater(new Adam(0.01));
    updater.setStateViewArray(Nd4j.zeros(DataType.FLOAT, 1, 2 * N), new long[] {1, N}, 'c', true);
    return new FlatAdam(updater, N);
  }

  /** Parameters after two Adam steps with gradients given as two lanes, Adam split over {@code threads}. */
  private static float[] twoSteps(int threads) {
    FlatAdam adam = adam();
    INDArray params = Nd4j.createFromArray(new float[] {1, 1, 1, 1, 1, 1, 1}).reshape(1, N);
    INDArray laneA = Nd4j.createFromArray(new float[] {1.5f, -0.5f, 0, 3, -2, 0.25f, 1e-3f}).reshape(1, N);
    INDArray laneB = Nd4j.createFromArray(new float[] {0.5f, -1.5f, 0, -1, 1, 0.25f, 1e-3f}).reshape(1, N);
    LanePool pool = new LanePool(threads);
    adam.apply(new INDArray[] {laneA, laneB}, 2, params, 0, 0, pool);
    adam.apply(new INDArray[] {laneA, laneB}, 2, params, 1, 0, pool);
    return params.data().asFloat();
  }

  @Test
  void apply_firstStepTwoLanes_movesEachParameterByLearningRateAgainstSummedGradient() {
    FlatAdam adam = adam();
    INDArray params = Nd4j.createFromArray(new float[] {1, 1, 1, 1, 1, 1, 1}).reshape(1, N);
    INDArray laneA = Nd4j.createFromArray(new float[] {1.5f, -0.5f, 0, 3, -2, 0.25f, 1e-3f}).reshape(1, N);
    INDArray laneB = Nd4j.createFromArray(new float[] {0.5f, -1.5f, 0, -1, 1, 0.25f, 1e-3f}).reshape(1, N);
    adam.apply(new INDArray[] {laneA, laneB}, 2, params, 0, 0, new LanePool(2));
    // t = 1: m = 0.1 g, v = 0.001 g^2, alpha = 0.01 sqrt(0.001) / 0.1, update = m alpha / (sqrt(v) + 1e-8),
    // i.e. 0.01 sign(g) (1 - 1e-8 / (sqrt(0.001) |g|)); summed g = {2, -2, 0, 2, -1, 0.5, 0.002}.
    float[] p = params.data().asFloat();
    assertEquals(0.99, p[0], 1e-6);
    assertEquals(1.01, p[1], 1e-6);
    assertEquals(1.0, p[2], 0);
    assertEquals(0.99, p[3], 1e-6);
    assertEquals(1.01, p[4], 1e-6);
    assertEquals(0.99, p[5], 1e-6);
    // |g| = 0.002: 1e-8 / (0.0316228 * 0.002) = 1.58e-4 of the step is lost to epsilon.
    assertEquals(1 - 0.01 * (1 - 1.5811e-4), p[6], 2e-7);
  }

  @Test
  void apply_splitOverTwoOrThreeThreads_bitIdenticalToOneThread() {
    float[] one = twoSteps(1);
    assertArrayEquals(one, twoSteps(2));
    assertArrayEquals(one, twoSteps(3));
  }

  @Test
  void apply_vectorPathGivesTheBitsOfThePlainLoops() {
    org.junit.jupiter.api.Assumptions.assumeTrue(SoftmaxLoss.vectorized(8), "needs --add-modules jdk.incubator.vector");
    int n = 1027; // not a multiple of 8: every range ends in the scalar tail
    for (int threads : new int[] {1, 2, 3}) {
      float[][] vector = threeSteps(n, threads, true);
      float[][] plain = threeSteps(n, threads, false);
      assertArrayEquals(plain[0], vector[0], "parameters, " + threads + " thread(s)");
      assertArrayEquals(plain[1], vector[1], "Adam state (m then v), " + threads + " thread(s)");
    }
    assertArrayEquals(threeSteps(n, 1, false)[0], threeSteps(n, 3, true)[0], "vector path split over 3 threads");
  }

  /** Parameters and flushed Adam state after three steps of two lanes' random gradients over {@code n} parameters. */
  private static float[][] threeSteps(int n, int threads, boolean vector) {
    AdamUpdater updater = new AdamUpdater(new Adam(0.01));
    INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * n);
    updater.setStateViewArray(state, new long[] {1, n}, 'c', true);
    FlatAdam adam = new FlatAdam(updater, n, vector);
    assertEquals(vector, adam.vectorized());
    Nd4j.getRandom().setSeed(11);
    INDArray params = Nd4j.randn(DataType.FLOAT, 1, n);
    LanePool pool = new LanePool(threads);
    for (int step = 0; step < 3; step++) {
      INDArray laneA = Nd4j.randn(DataType.FLOAT, 1, n);
      INDArray laneB = Nd4j.randn(DataType.FLOAT, 1, n).muli(1e-3);
      adam.apply(new INDArray[] {laneA, laneB}, 2, params, step, 0, pool);
    }
    adam.flush();
    return new float[][] {params.data().asFloat(), state.data().asFloat()};
  }
}
