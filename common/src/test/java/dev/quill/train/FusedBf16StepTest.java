package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quill.policy.PolicyNetworks;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/** The fused step with bf16 products against the same step in float32 (train.precision). */
class FusedBf16StepTest {
  private static final int STATE = 6;
  private static final int HEADS = 3;
  private static final int BINS = 16;

  @BeforeAll
  static void needsBf16() {
    assumeTrue(MatmulPrecision.bf16Native(), "no native bf16 here: " + Bf16Gemm.availability().isa());
  }

  private static MultiLayerNetwork network(double lr) {
    MultiLayerNetwork net = new MultiLayerNetwork(
        PolicyNetworks.factorized(STATE, HEADS, BINS, List.of(64, 64), new Adam(lr), 7, DataType.FLOAT));
    net.init();
    return net;
  }

  /** A learnable task: head h's token is the bin of a fixed smooth function of the state, with 10 % label noise. */
  private static ExampleBlock task(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ExampleBlock b = ExampleBlock.allocate(n, STATE, HEADS);
    for (int i = 0; i < n; i++) {
      double[] s = new double[STATE];
      for (int d = 0; d < STATE; d++) {
        s[d] = 2 * rng.nextDouble() - 1;
        b.states()[i * STATE + d] = (float) s[d];
      }
      for (int h = 0; h < HEADS; h++) {
        double u = Math.tanh(1.5 * s[h] - s[(h + 1) % STATE] + 0.5 * s[h + 3] * s[h]);
        int token = (int) Math.min(BINS - 1, Math.floor((u + 1) / 2 * BINS));
        b.tokens()[i * HEADS + h] = rng.nextDouble() < 0.1 ? rng.nextInt(BINS) : token;
      }
    }
    return b;
  }

  private static double maxAbsDiff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }

  /** Trains {@code epochs} passes of minibatches of 32, then returns DL4J's float32 log-loss over {@code held}. */
  private static double trainThenScore(MultiLayerNetwork net, MatmulPrecision precision, ExampleBlock block,
      int epochs, ExampleBlock held) {
    FusedPolicyStep step = new FusedPolicyStep(net, 1, precision);
    for (int e = 0; e < epochs; e++) {
      int[] order = block.order(100L + e);
      for (int from = 0; from < block.size(); from += 32) {
        step.fit(block, order, from, Math.min(32, block.size() - from));
      }
    }
    step.flush();
    return net.score(held.toMinibatches(held.size(), null).get(0));
  }

  @Test
  void fit_twelveEpochs_reachesTheFp32HeldOutLossWithinHalfAPercent() {
    MultiLayerNetwork fp32 = network(3e-3);
    MultiLayerNetwork bf16 = fp32.clone();
    ExampleBlock block = task(2048, 11);
    ExampleBlock held = task(1024, 12);
    double start = fp32.score(held.toMinibatches(held.size(), null).get(0));
    double lossFp32 = trainThenScore(fp32, MatmulPrecision.FP32, block, 12, held);
    double lossBf16 = trainThenScore(bf16, MatmulPrecision.BF16, block, 12, held);
    assertTrue(lossFp32 < 0.75 * start, "fp32 must learn the task: " + start + " -> " + lossFp32);
    assertEquals(lossFp32, lossBf16, 0.005 * lossFp32, "held-out loss, bf16 against fp32 (start " + start + ")");
  }

  @Test
  void fit_oneStep_movesParametersLikeFp32UpToBf16Rounding() {
    MultiLayerNetwork fp32 = network(1e-3);
    MultiLayerNetwork bf16 = fp32.clone();
    INDArray before = fp32.params().dup();
    ExampleBlock block = task(256, 1);
    int[] order = block.order(3L);
    double lossFp32 = new FusedPolicyStep(fp32, 1, MatmulPrecision.FP32).fit(block, order, 0, 256);
    double lossBf16 = new FusedPolicyStep(bf16, 1, MatmulPrecision.BF16).fit(block, order, 0, 256);
    // The loss sees bf16 hidden activations and weights: relative 2^-9 per operand, averaged over many terms.
    assertEquals(lossFp32, lossBf16, 5e-4 * lossFp32, "minibatch loss");
    // Adam's first step moves each parameter by lr * g / |g| = +-lr where |g| >> eps: bf16 changes the sign only
    // where a gradient is within its rounding of 0, so almost every parameter moves the same way.
    INDArray stepFp32 = before.sub(fp32.params());
    INDArray stepBf16 = before.sub(bf16.params());
    long n = stepFp32.length();
    long same = 0;
    for (long i = 0; i < n; i++) {
      if (Math.abs(stepFp32.getDouble(i) - stepBf16.getDouble(i)) < 1e-4) {
        same++;
      }
    }
    assertTrue(same > 0.97 * n, same + " of " + n + " parameters moved as in fp32");
  }

  @Test
  void fit_bf16TwoLanes_matchesOneLaneUpToFloatRounding() {
    MultiLayerNetwork one = network(1e-2);
    MultiLayerNetwork two = one.clone();
    ExampleBlock block = task(200, 2);
    int[] order = block.order(5L);
    FusedPolicyStep oneLane = new FusedPolicyStep(one, 1, MatmulPrecision.BF16);
    FusedPolicyStep twoLanes = new FusedPolicyStep(two, 2, MatmulPrecision.BF16);
    assertEquals(MatmulPrecision.BF16, twoLanes.precision());
    for (int from = 0; from < 200; from += 48) {
      int n = Math.min(48, 200 - from);
      assertEquals(oneLane.fit(block, order, from, n), twoLanes.fit(block, order, from, n), 1e-5, "score at row " + from);
    }
    oneLane.flush();
    twoLanes.flush();
    assertTrue(maxAbsDiff(one.params(), two.params()) < 1e-4, "parameters differ by " + maxAbsDiff(one.params(), two.params()));
  }
}
