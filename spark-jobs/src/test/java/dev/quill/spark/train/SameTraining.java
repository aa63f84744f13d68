package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.train.ExampleBlock;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Data and checks shared by the tests that compare Spark training with single-JVM training. */
final class SameTraining {
  private SameTraining() {}

  /**
   * {@code n} examples of 5 Gaussian state dimensions and 3 token heads over {@code bins} bins, each head a function
   * of the state's sum (learnable), from {@code seed}.
   */
  static ExampleBlock mlpExamples(int n, int bins, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ExampleBlock b = ExampleBlock.allocate(n, 5, 3);
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int k = 0; k < 5; k++) {
        b.states()[i * 5 + k] = (float) rng.nextGaussian();
        sum += b.states()[i * 5 + k];
      }
      for (int h = 0; h < 3; h++) {
        b.tokens()[i * 3 + h] = (float) Math.floorMod((int) Math.round(sum * (h + 1)), bins);
      }
    }
    return b;
  }

  /**
   * Asserts that training moved the parameters away from {@code initial} (by more than 1e-3 somewhere) and that
   * {@code spark} ended with {@code local}'s parameters and Adam state, element by element within {@code tolerance}.
   */
  static void assertSameParametersAndAdamState(float[] initial, MultiLayerNetwork local, MultiLayerNetwork spark,
      float tolerance) {
    float[] localFinal = local.params().dup().data().asFloat();
    double change = 0;
    for (int i = 0; i < initial.length; i++) {
      change = Math.max(change, Math.abs(localFinal[i] - initial[i]));
    }
    assertTrue(change > 1e-3, "parameters must change during training, max change " + change);
    assertArrayEquals(localFinal, spark.params().dup().data().asFloat(), tolerance);
    assertArrayEquals(local.getUpdater().getStateViewArray().dup().data().asFloat(),
        spark.getUpdater().getStateViewArray().dup().data().asFloat(), tolerance);
  }
}
