package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.nn.qat.Quantization;
import dev.quill.policy.PolicyNetworks;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

class FusedPolicyStepTest {
  private static final int STATE = 5;
  private static final int HEADS = 3;
  private static final int BINS = 8;

  private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static MultiLayerConfiguration conf() {
    return PolicyNetworks.factorized(STATE, HEADS, BINS, List.of(16, 12), new Adam(0.01), 3, DataType.FLOAT);
  }

  private static ExampleBlock examples(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ExampleBlock b = ExampleBlock.allocate(n, STATE, HEADS);
    for (int i = 0; i < b.states().length; i++) {
      b.states()[i] = (float) (2 * rng.nextDouble() - 1);
    }
    for (int i = 0; i < b.tokens().length; i++) {
      b.tokens()[i] = rng.nextInt(BINS);
    }
    return b;
  }

  private static double maxAbsDiff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }

  @Test
  void fit_sixMinibatches_matchesDl4jFitParametersAdamStateAndScore() {
    MultiLayerNetwork reference = network(conf());
    MultiLayerNetwork fused = reference.clone();
    ExampleBlock block = examples(70, 5);
    List<DataSet> batches = block.toMinibatches(12, 9L);
    int[] order = block.order(9L);
    FusedPolicyStep step = new FusedPolicyStep(fused);
    INDArray before = reference.params().dup();
    for (int k = 0; k < batches.size(); k++) {
      reference.fit(batches.get(k));
      int from = 12 * k;
      double score = step.fit(block, order, from, Math.min(12, 70 - from));
      assertEquals(reference.score(), score, 1e-5, "score of minibatch " + k);
    }
    step.flush();
    assertTrue(maxAbsDiff(before, reference.params()) > 1e-3, "the parameters must have changed");
    assertTrue(maxAbsDiff(reference.params(), fused.params()) < 1e-5,
        "parameters differ by " + maxAbsDiff(reference.params(), fused.params()));
    assertTrue(maxAbsDiff(reference.getUpdater().getStateViewArray(), fused.getUpdater().getStateViewArray()) < 1e-5,
        "Adam state differs");
    assertEquals(6, fused.getIterationCount());
    assertEquals(reference.getIterationCount(), fused.getIterationCount());
    assertEquals(reference.score(), fused.score(), 1e-5);
  }

  @Test
  void fit_zeroWeights_scoreIsLnBins() {
    MultiLayerNetwork net = network(conf());
    net.params().assign(0);
    ExampleBlock block = examples(4, 1);
    double score = new FusedPolicyStep(net).fit(block, block.order(null), 0, 4);
    // All logits are 0: every head's softmax is uniform over 8 bins, loss ln 8.
    assertEquals(Math.log(8), score, 1e-6);
  }

  @Test
  void fit_hugeLogits_scoreStaysFinite() {
    MultiLayerNetwork net = network(conf());
    net.getLayer(2).getParam("b").assign(0).putScalar(0, 0, 1e4);
    net.getLayer(2).getParam("W").assign(0);
    ExampleBlock block = ExampleBlock.allocate(1, STATE, HEADS);
    block.tokens()[0] = 1;
    double score = new FusedPolicyStep(net).fit(block, new int[] {0}, 0, 1);
    // Head 0: logit 1e4 on bin 0, label bin 1: loss 1e4 + ln(1 + 7 e^-1e4) = 1e4; heads 1, 2: ln 8.
    assertEquals((1e4 + 2 * Math.log(8)) / 3, score, 1e-3);
  }

  @Test
  void fit_labelOutOfRange_namesExampleAndHead() {
    MultiLayerNetwork net = network(conf());
    ExampleBlock block = examples(3, 2);
    block.tokens()[2 * HEADS + 1] = BINS;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FusedPolicyStep(net).fit(block, block.order(null), 0, 3));
    assertEquals("label 8.0 of example 2, head 1 is not a token in [0, 7]", e.getMessage());
  }

  @Test
  void unsupportedReason_lsqOrSgd_explainsAndDefaultIsSupported() {
    assertTrue(FusedPolicyStep.unsupportedReason(network(conf())).isEmpty());
    assertTrue(FusedPolicyStep.unsupportedReason(network(Quantization.withFakeQuant(conf(), 4, true))).isEmpty());
    MultiLayerNetwork qat = network(Quantization.withActivationQuant(Quantization.withFakeQuant(conf(), 4, true), 4));
    assertTrue(FusedPolicyStep.unsupportedReason(qat).orElseThrow().contains("LsqActivation"));
    MultiLayerNetwork sgd = network(PolicyNetworks.factorized(STATE, HEADS, BINS, List.of(16), new Sgd(0.1), 3,
        DataType.FLOAT));
    assertTrue(FusedPolicyStep.unsupportedReason(sgd).orElseThrow().contains("Adam"));
    MultiLayerNetwork dbl = network(PolicyNetworks.factorized(STATE, HEADS, BINS, List.of(16), new Adam(0.1), 3,
        DataType.DOUBLE));
    assertFalse(FusedPolicyStep.unsupportedReason(dbl).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new FusedPolicyStep(qat));
  }

  @Test
  void fit_twoLanes_matchesOneLaneUpToFloatRounding() {
    MultiLayerNetwork one = network(conf());
    MultiLayerNetwork two = one.clone();
    ExampleBlock block = examples(70, 5);
    int[] order = block.order(9L);
    FusedPolicyStep oneLane = new FusedPolicyStep(one);
    FusedPolicyStep twoLanes = new FusedPolicyStep(two, 2);
    assertEquals(2, twoLanes.lanes());
    // Minibatches of 12 (6 + 6 rows per lane), the last one of 10, and one of a single row (lane 1 idle).
    for (int from = 0; from < 70; from += 12) {
      int n = Math.min(12, 70 - from);
      assertEquals(oneLane.fit(block, order, from, n), twoLanes.fit(block, order, from, n), 1e-6, "score at row " + from);
    }
    assertEquals(oneLane.fit(block, order, 3, 1), twoLanes.fit(block, order, 3, 1), 1e-6);
    oneLane.flush();
    twoLanes.flush();
    assertTrue(maxAbsDiff(one.params(), two.params()) < 1e-6, "parameters differ by " + maxAbsDiff(one.params(), two.params()));
    assertTrue(maxAbsDiff(one.getUpdater().getStateViewArray(), two.getUpdater().getStateViewArray()) < 1e-7,
        "Adam state differs");
    assertEquals(7, two.getIterationCount());
  }

  @Test
  void fit_twoLanesOneExampleEach_gradientIsTheSumOfBothHalves() {
    // Plain SGD-like check through Adam's first step: with t = 1, m = 0.1 g, v = 0.001 g^2, the update is
    // lr * sqrt(0.001) / 0.1 * 0.1 g / (sqrt(0.001) |g| + eps) = lr * sign(g) wherever |g| >> eps. Both
    // lane counts must move every parameter with a nonzero gradient by exactly lr = 0.01 in the same direction.
    MultiLayerNetwork one = network(conf());
    MultiLayerNetwork two = one.clone();
    INDArray before = one.params().dup();
    ExampleBlock block = examples(2, 11);
    new FusedPolicyStep(one).fit(block, new int[] {0, 1}, 0, 2);
    new FusedPolicyStep(two, 2).fit(block, new int[] {0, 1}, 0, 2);
    INDArray stepOne = before.sub(one.params());
    INDArray stepTwo = before.sub(two.params());
    assertTrue(maxAbsDiff(stepOne, stepTwo) < 1e-6, "updates differ by " + maxAbsDiff(stepOne, stepTwo));
    assertEquals(0.01, stepTwo.amaxNumber().doubleValue(), 1e-5);
  }

  @Test
  void constructor_zeroLanes_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FusedPolicyStep(network(conf()), 0));
    assertEquals("lanes must be >= 1, got 0", e.getMessage());
  }
}
