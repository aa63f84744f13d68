package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.TrainConfig;
import dev.quill.policy.PolicyNetworks;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class StepCeilingTest {

  private static MultiLayerNetwork smallPolicy() {
    TrainConfig tc = TrainConfig.mlp("factorized", List.of(32, 32), 1, 64, 1e-3, 1, "auto");
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.factorized(5, 3, 16, tc, 7));
    net.init();
    return net;
  }

  @Test
  void ceilingIsCoresTimesBatchOverGemmPlusAdamAndLeavesTheNetworkAlone() {
    MultiLayerNetwork net = smallPolicy();
    float[] before = net.params().dup().data().asFloat();

    StepCeiling.Result r = StepCeiling.measure(net, 64, 2);

    assertTrue(r.gemmMs() > 0 && r.adamMs() > 0, r.toString());
    assertEquals(2 * 64 / (r.gemmMs() + r.adamMs()) * 1e3, r.examplesPerSecond(), 1e-6);
    assertEquals(2, r.cores());
    assertEquals(64, r.batch());
    assertArrayEquals(before, net.params().data().asFloat(), "parameters untouched");
  }

  @Test
  void gemmsTogetherTimesEveryThreadsStepAndLeavesTheNetworkAlone() {
    MultiLayerNetwork net = smallPolicy();
    float[] before = net.params().dup().data().asFloat();

    StepCeiling.Together t = StepCeiling.gemmsTogether(net, 32, 2);

    assertEquals(2, t.threads());
    assertEquals(32, t.rows());
    assertTrue(t.msPerStep() > 0 && t.msPerStep() < 1e3, t.toString());
    assertEquals(2 * 32 / t.msPerStep() * 1e3, t.examplesPerSecond(), 1e-6);
    assertArrayEquals(before, net.params().data().asFloat(), "parameters untouched");
    assertTrue(StepCeiling.gemmsTogether(net, 64, 1).msPerStep() > 0, "one thread alone");
    assertThrows(IllegalArgumentException.class, () -> StepCeiling.gemmsTogether(net, 64, 0));
    assertThrows(IllegalArgumentException.class, () -> StepCeiling.gemmsTogether(net, 0, 2));
  }
}
