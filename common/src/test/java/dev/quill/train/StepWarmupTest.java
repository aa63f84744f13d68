package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.PolicyNetworks;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

class StepWarmupTest {
  private static MultiLayerConfiguration conf() {
    return PolicyNetworks.factorized(5, 3, 8, List.of(16, 12), new Adam(0.01), 3, DataType.FLOAT);
  }

  @Test
  void run_fusedPolicy_runsTheStepsAndLeavesTheCallersConfigurationAsItWas() {
    MultiLayerConfiguration conf = conf();
    String before = conf.toJson();
    double seconds = StepWarmup.run(conf, 8, 3);
    assertTrue(seconds > 0, "seconds " + seconds);
    // The scratch network's steps advance its own configuration's counters, not the caller's.
    assertEquals(before, conf.toJson());
    assertEquals(0, conf.getIterationCount());
  }

  @Test
  void run_nothingToDo_returnsZero() {
    assertEquals(0, StepWarmup.run(conf(), 8, 0));
    // SGD: no fused step trains it, so there is nothing of the step to compile.
    assertEquals(0, StepWarmup.run(PolicyNetworks.factorized(5, 3, 8, List.of(16), new Sgd(0.1), 3, DataType.FLOAT), 8, 3));
  }

  @Test
  void run_badBatch_namesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepWarmup.run(conf(), 0, 3));
    assertEquals("batch must be >= 1, got 0", e.getMessage());
  }

  @Test
  void randomBlock_tokensAreValidAndDistilledExtrasAreZero() {
    // Distilled label rows: 2 tokens, then 2 x 4 teacher logits and alpha.
    ExampleBlock block = StepWarmup.randomBlock(50, 3, 2, 4, 2 + 8 + 1, new SplittableRandom(1));
    assertEquals(50, block.size());
    for (int k = 0; k < 50; k++) {
      for (int j = 0; j < 11; j++) {
        float v = block.tokens()[k * 11 + j];
        if (j < 2) {
          assertTrue(v >= 0 && v < 4 && v == Math.rint(v), "token " + v);
        } else {
          assertEquals(0f, v);
        }
      }
    }
  }
}
