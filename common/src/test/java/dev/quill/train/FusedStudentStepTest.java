package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.loss.DistilledTokenCrossEntropy;
import dev.quill.nn.qat.Quantization;
import dev.quill.policy.PolicyNetworks;
import dev.quill.task.image.ImageShape;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Both fused steps on the low-bit students of {@code quill qat}: fake-quantized weights (straight-through
 * estimator) and the distilled loss must train exactly as DL4J's {@code fit} of the same student network.
 */
class FusedStudentStepTest {
  private static final int STATE = 5;
  private static final int HEADS = 2;
  private static final int BINS = 6;
  private static final ImageShape IMAGE = new ImageShape(2, 9, 8);
  /** Per-example distillation weights, cycled: plain QAT rows, uniform rows and salient (beta = 2) rows. */
  private static final float[] ALPHAS = {0f, 1f, 2f, 0.5f, 1f};

  private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** A student configuration: fake-quantized weights and, unless {@code distance} is null, the distilled loss. */
  private static MultiLayerConfiguration student(MultiLayerConfiguration teacher, int bits, boolean perChannel,
      String distance) {
    MultiLayerConfiguration conf = Quantization.withFakeQuant(teacher, bits, perChannel);
    if (distance != null) {
      List<NeuralNetConfiguration> layers = conf.getConfs();
      ((OutputLayer) layers.get(layers.size() - 1).getLayer()).setLossFn(new DistilledTokenCrossEntropy(HEADS, BINS,
          distance));
    }
    return conf;
  }

  private static MultiLayerConfiguration mlp() {
    return PolicyNetworks.factorized(STATE, HEADS, BINS, List.of(16, 12), new Adam(0.01), 3, DataType.FLOAT);
  }

  private static MultiLayerConfiguration conv() {
    return PolicyNetworks.conv(IMAGE, HEADS, BINS, List.of(4, 6), List.of(10), new Adam(0.01), 3, DataType.FLOAT);
  }

  /** Examples with the packed label rows of the distilled loss: tokens, teacher logits, alpha. */
  private static ExampleBlock examples(int n, int stateDim, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int width = HEADS + HEADS * BINS + 1;
    ExampleBlock b = ExampleBlock.allocate(n, stateDim, width);
    for (int i = 0; i < b.states().length; i++) {
      b.states()[i] = (float) (2 * rng.nextDouble() - 1);
    }
    for (int i = 0; i < n; i++) {
      for (int h = 0; h < HEADS; h++) {
        b.tokens()[i * width + h] = rng.nextInt(BINS);
      }
      for (int c = 0; c < HEADS * BINS; c++) {
        b.tokens()[i * width + HEADS + c] = (float) (2 * rng.nextGaussian());
      }
      b.tokens()[i * width + width - 1] = ALPHAS[i % ALPHAS.length];
    }
    return b;
  }

  private static double maxAbsDiff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }

  /** Fits {@code n} examples in minibatches of 8 both ways and compares score, parameters and Adam state. */
  private static void assertFusedEqualsFit(MultiLayerConfiguration conf, int stateDim, int n, boolean convStep) {
    MultiLayerNetwork reference = network(conf);
    MultiLayerNetwork fused = reference.clone();
    ExampleBlock block = examples(n, stateDim, 5);
    List<DataSet> batches = block.toMinibatches(8, 9L);
    int[] order = block.order(9L);
    FusedStep step = FusedStep.forNetwork(fused);
    assertEquals(convStep, step instanceof FusedConvStep);
    INDArray before = reference.params().dup();
    for (int k = 0; k < batches.size(); k++) {
      reference.fit(batches.get(k));
      int from = 8 * k;
      double score = step.fit(block, order, from, Math.min(8, n - from));
      assertEquals(reference.score(), score, 1e-5, "score of minibatch " + k);
    }
    step.flush();
    assertTrue(maxAbsDiff(before, reference.params()) > 1e-3, "the parameters must have changed");
    assertTrue(maxAbsDiff(reference.params(), fused.params()) < 1e-5,
        "parameters differ by " + maxAbsDiff(reference.params(), fused.params()));
    assertTrue(maxAbsDiff(reference.getUpdater().getStateViewArray(), fused.getUpdater().getStateViewArray()) < 1e-5,
        "Adam state differs by "
            + maxAbsDiff(reference.getUpdater().getStateViewArray(), fused.getUpdater().getStateViewArray()));
    assertEquals(batches.size(), fused.getIterationCount());
  }

  @Test
  void fit_mlpW4PerChannelLogitMse_matchesDl4jFit() {
    assertFusedEqualsFit(student(mlp(), 4, true, "logitMse"), STATE, 43, false);
  }

  @Test
  void fit_mlpW2PerTensorKl_matchesDl4jFit() {
    assertFusedEqualsFit(student(mlp(), 2, false, "kl"), STATE, 43, false);
  }

  @Test
  void fit_mlpW4PerTensorProbMse_matchesDl4jFit() {
    assertFusedEqualsFit(student(mlp(), 4, false, "probMse"), STATE, 30, false);
  }

  @Test
  void fit_mlpW2PerChannelTwoLanesKl_matchesOneLane() {
    MultiLayerNetwork one = network(student(mlp(), 2, true, "kl"));
    MultiLayerNetwork two = one.clone();
    ExampleBlock block = examples(43, STATE, 5);
    int[] order = block.order(9L);
    FusedPolicyStep oneLane = new FusedPolicyStep(one);
    FusedPolicyStep twoLanes = new FusedPolicyStep(two, 2);
    for (int from = 0; from < 43; from += 8) {
      int n = Math.min(8, 43 - from);
      assertEquals(oneLane.fit(block, order, from, n), twoLanes.fit(block, order, from, n), 1e-6, "score at row " + from);
    }
    oneLane.flush();
    twoLanes.flush();
    assertTrue(maxAbsDiff(one.params(), two.params()) < 1e-6, "parameters differ by " + maxAbsDiff(one.params(), two.params()));
  }

  @Test
  void fit_convW4PerChannelKl_matchesDl4jFit() {
    assertFusedEqualsFit(student(conv(), 4, true, "kl"), IMAGE.size(), 29, true);
  }

  @Test
  void fit_convW2PerTensorLogitMse_matchesDl4jFit() {
    assertFusedEqualsFit(student(conv(), 2, false, "logitMse"), IMAGE.size(), 29, true);
  }

  @Test
  void fit_convW4PerTensorPlainTokenLoss_matchesDl4jFit() {
    MultiLayerNetwork reference = network(student(conv(), 4, false, null));
    MultiLayerNetwork fused = reference.clone();
    ExampleBlock packed = examples(20, IMAGE.size(), 7);
    ExampleBlock block = ExampleBlock.allocate(20, IMAGE.size(), HEADS);
    System.arraycopy(packed.states(), 0, block.states(), 0, packed.states().length);
    for (int i = 0; i < 20; i++) {
      System.arraycopy(packed.tokens(), i * (HEADS + HEADS * BINS + 1), block.tokens(), i * HEADS, HEADS);
    }
    FusedConvStep step = new FusedConvStep(fused);
    int[] order = block.order(null);
    for (DataSet batch : block.toMinibatches(10, null)) {
      reference.fit(batch);
    }
    step.fit(block, order, 0, 10);
    step.fit(block, order, 10, 10);
    step.flush();
    assertTrue(maxAbsDiff(reference.params(), fused.params()) < 1e-5,
        "parameters differ by " + maxAbsDiff(reference.params(), fused.params()));
  }

  @Test
  void refresh_twoWeights_quantizedByHand() {
    // One hidden unit pair: layer 0's W is [1, 2] = (0.7, -0.26). Per tensor, 4 bits: s = 0.7 / 7 = 0.1,
    // levels round(7) = 7 and round(-2.6) = -3, so (0.7, -0.3). 2 bits: s = 0.7 / 1, levels 1 and round(-0.37) = 0,
    // so (0.7, 0). Per channel, 2 bits: each column is its own scale, so both weights stay.
    MultiLayerConfiguration teacher = PolicyNetworks.factorized(1, 1, 2, List.of(2), new Adam(0.01), 3, DataType.FLOAT);
    float[][] expected = {{0.7f, -0.3f}, {0.7f, 0f}, {0.7f, -0.26f}};
    MultiLayerConfiguration[] confs = {Quantization.withFakeQuant(teacher, 4, false),
        Quantization.withFakeQuant(teacher, 2, false), Quantization.withFakeQuant(teacher, 2, true)};
    for (int c = 0; c < confs.length; c++) {
      MultiLayerNetwork net = network(confs[c]);
      net.getLayer(0).getParam("W").assign(Nd4j.createFromArray(new float[][] {{0.7f, -0.26f}}));
      FakeQuantLayers layers = new FakeQuantLayers(net);
      assertArrayEquals(expected[c], layers.forward()[0].dup().data().asFloat(), 1e-6f, "configuration " + c);
      assertArrayEquals(new float[] {0.7f, -0.26f}, net.getLayer(0).getParam("W").dup().data().asFloat(), 0f,
          "the latent weights must not change");
    }
  }

  @Test
  void apply_logitMseOneExample_addsHandComputedValueAndGradient() {
    // D = 1, B = 2, z = (0, 0), teacher t = (1, -1), alpha = 2: D(z, t) = ((0 - 1)^2 + (0 + 1)^2) / 2 = 1, so
    // alpha D = 2; gradient alpha * 2 (z - t) / (D B) / total = 2 * 2 * (-1, 1) / 2 / 1 = (-2, 2) added to delta.
    MultiLayerConfiguration conf = PolicyNetworks.factorized(1, 1, 2, List.of(2), new Adam(0.01), 3, DataType.FLOAT);
    ((OutputLayer) conf.getConf(1).getLayer()).setLossFn(new DistilledTokenCrossEntropy(1, 2, "logitMse"));
    DistillPass pass = DistillPass.forNetwork(network(conf));
    ExampleBlock block = new ExampleBlock(1, 1, 4, new float[] {0f}, new float[] {0f, 1f, -1f, 2f});
    INDArray delta = Nd4j.createFromArray(new float[][] {{0.5f, -0.5f}});
    double value = pass.apply(block, new int[] {0}, 0, 1, 1, Nd4j.zeros(DataType.FLOAT, 1, 2), delta);
    assertEquals(2.0, value, 1e-6);
    assertArrayEquals(new float[] {-1.5f, 1.5f}, delta.data().asFloat(), 1e-6f);
  }

  @Test
  void apply_negativeAlpha_namesExampleAndColumn() {
    MultiLayerConfiguration conf = PolicyNetworks.factorized(1, 1, 2, List.of(2), new Adam(0.01), 3, DataType.FLOAT);
    ((OutputLayer) conf.getConf(1).getLayer()).setLossFn(new DistilledTokenCrossEntropy(1, 2, "kl"));
    MultiLayerNetwork net = network(conf);
    ExampleBlock block = new ExampleBlock(1, 1, 4, new float[] {0f}, new float[] {0f, 1f, -1f, -1f});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FusedPolicyStep(net).fit(block, new int[] {0}, 0, 1));
    assertEquals("distillation weight alpha -1.0 of example 0 (label column 3) must be finite and >= 0", e.getMessage());
  }

  @Test
  void unsupportedReason_lsqActivations_namesLsqAndW4A4() {
    MultiLayerConfiguration w4a4 = Quantization.withActivationQuant(student(mlp(), 4, true, "logitMse"), 4);
    String reason = FusedStep.unsupportedReason(network(w4a4)).orElseThrow();
    assertTrue(reason.contains("layer 1 is an LsqActivation (LSQ activation quantization, W4A4 students)"), reason);
    assertTrue(FusedStep.unsupportedReason(network(student(mlp(), 4, true, "kl"))).isEmpty());
    assertTrue(FusedStep.unsupportedReason(network(student(conv(), 2, false, "logitMse"))).isEmpty());
  }
}
