package dev.quill.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigException;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class PolicyInitTest {
  private static MultiLayerNetwork network(String init) {
    TrainConfig tc = TrainConfig.mlp("factorized", List.of(256, 64), 1, 32, 1e-3, 1, "auto").withInit(init);
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.factorized(16, 4, 64, tc, 3));
    net.init();
    return net;
  }

  private static double std(INDArray a) {
    return a.stdNumber().doubleValue();
  }

  @Test
  void factorized_torchInit_weightsUniformWithinOneOverSqrtFanInBiasesZero() {
    MultiLayerNetwork net = network("torch");
    long[] fanIn = {16, 256, 64};
    for (int layer = 0; layer < 3; layer++) {
      INDArray w = net.getLayer(layer).getParam("W");
      double bound = 1 / Math.sqrt(fanIn[layer]);
      // U(-a, a): every |w| <= a, the largest of >= 4096 draws within 1 % of a, standard deviation a / sqrt(3).
      double max = w.amaxNumber().doubleValue();
      assertTrue(max <= bound && max > 0.99 * bound, "layer " + layer + ": max |w| " + max + ", bound " + bound);
      assertEquals(bound / Math.sqrt(3), std(w), 0.03 * bound / Math.sqrt(3), "layer " + layer);
      assertEquals(0.0, net.getLayer(layer).getParam("b").amaxNumber().doubleValue(), 0.0);
    }
  }

  @Test
  void factorized_dl4jInit_heHiddenXavierOutput() {
    MultiLayerNetwork net = network("dl4j");
    // He-normal: std sqrt(2 / fan_in) = sqrt(2 / 256) = 0.0884; Xavier: sqrt(2 / (fan_in + fan_out)) = sqrt(2 / 320) = 0.0791.
    assertEquals(Math.sqrt(2.0 / 256), std(net.getLayer(1).getParam("W")), 0.03 * Math.sqrt(2.0 / 256));
    assertEquals(Math.sqrt(2.0 / (64 + 256)), std(net.getLayer(2).getParam("W")), 0.03 * Math.sqrt(2.0 / 320));
    assertEquals("dl4j", TrainConfig.mlp("factorized", List.of(4), 1, 1, 1e-3, 1, "auto").init());
  }

  @Test
  void trainConfig_unknownInit_namesKeyAndAllowedValues() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> TrainConfig.mlp("factorized", List.of(4), 1, 1, 1e-3, 1, "auto").withInit("kaiming"));
    assertTrue(e.getMessage().contains("init must be one of [dl4j, torch], got kaiming"), e.getMessage());
  }

  @Test
  void seedZeroInitializesTheSameEveryTime() {
    // DL4J takes seed 0 as "none"; Quill gives it a fixed seed instead (Seeds.forDl4j), so two seed-0 networks start equal.
    for (String init : TrainConfig.INITS) {
      TrainConfig tc = TrainConfig.mlp("factorized", List.of(32), 1, 32, 1e-3, 1, "auto").withInit(init);
      MultiLayerNetwork a = new MultiLayerNetwork(PolicyNetworks.factorized(5, 2, 8, tc, 0));
      a.init();
      MultiLayerNetwork b = new MultiLayerNetwork(PolicyNetworks.factorized(5, 2, 8, tc, 0));
      b.init();
      assertEquals(a.params(), b.params(), init);
    }
    assertEquals(dev.quill.util.Seeds.mix(0), dev.quill.util.Seeds.forDl4j(0));
    assertEquals(7L, dev.quill.util.Seeds.forDl4j(7));
  }
}
