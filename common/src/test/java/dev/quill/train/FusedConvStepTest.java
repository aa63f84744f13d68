package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.nn.qat.Quantization;
import dev.quill.policy.PolicyNetworks;
import dev.quill.task.image.ImageShape;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

class FusedConvStepTest {
  private static final ImageShape IMAGE = new ImageShape(3, 9, 8);
  private static final int HEADS = 2;
  private static final int BINS = 5;

  private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static MultiLayerConfiguration conf() {
    return PolicyNetworks.conv(IMAGE, HEADS, BINS, List.of(4, 6), List.of(10), new Adam(0.01), 3, DataType.FLOAT);
  }

  private static ExampleBlock examples(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ExampleBlock b = ExampleBlock.allocate(n, IMAGE.size(), HEADS);
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
  void fit_fiveMinibatches_matchesDl4jFitParametersAdamStateAndScore() {
    MultiLayerNetwork reference = network(conf());
    MultiLayerNetwork fused = reference.clone();
    ExampleBlock block = examples(45, 5);
    List<DataSet> batches = block.toMinibatches(10, 9L);
    int[] order = block.order(9L);
    FusedConvStep step = new FusedConvStep(fused);
    INDArray before = reference.params().dup();
    for (int k = 0; k < batches.size(); k++) {
      reference.fit(batches.get(k));
      int from = 10 * k;
      double score = step.fit(block, order, from, Math.min(10, 45 - from));
      assertEquals(reference.score(), score, 1e-5, "score of minibatch " + k);
    }
    step.flush();
    assertTrue(maxAbsDiff(before, reference.params()) > 1e-3, "the parameters must have changed");
    assertTrue(maxAbsDiff(reference.params(), fused.params()) < 1e-5,
        "parameters differ by " + maxAbsDiff(reference.params(), fused.params()));
    assertTrue(maxAbsDiff(reference.getUpdater().getStateViewArray(), fused.getUpdater().getStateViewArray()) < 1e-5,
        "Adam state differs");
    assertEquals(5, fused.getIterationCount());
    assertEquals(reference.output(batches.get(0).getFeatures()).getDouble(0, 3),
        fused.output(batches.get(0).getFeatures()).getDouble(0, 3), 1e-5);
  }

  @Test
  void fit_zeroWeights_scoreIsLnBins() {
    MultiLayerNetwork net = network(conf());
    net.params().assign(0);
    double score = new FusedConvStep(net).fit(examples(4, 1), new int[] {0, 1, 2, 3}, 0, 4);
    assertEquals(Math.log(BINS), score, 1e-6);
  }

  @Test
  void fit_wrongStateDimension_namesBothDimensions() {
    MultiLayerNetwork net = network(conf());
    ExampleBlock wrong = ExampleBlock.allocate(2, 10, HEADS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FusedConvStep(net).fit(wrong, new int[] {0, 1}, 0, 2));
    assertTrue(e.getMessage().contains("10") && e.getMessage().contains("216"), e.getMessage());
  }

  @Test
  void unsupportedReason_mlp_explainsAndConvAndFakeQuantConvAreSupported() {
    assertTrue(FusedConvStep.unsupportedReason(network(conf())).isEmpty());
    MultiLayerNetwork mlp = network(PolicyNetworks.factorized(4, HEADS, BINS, List.of(8), new Adam(0.01), 1,
        DataType.FLOAT));
    assertTrue(FusedConvStep.unsupportedReason(mlp).orElseThrow().contains("ConvolutionLayer"));
    MultiLayerConfiguration qat = Quantization.withFakeQuant(conf(), 4, true);
    assertTrue(FusedConvStep.unsupportedReason(network(qat)).isEmpty());
  }
}
