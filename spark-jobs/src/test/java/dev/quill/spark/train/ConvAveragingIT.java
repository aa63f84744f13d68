package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.spark.LocalSpark;
import dev.quill.task.image.ImageShape;
import dev.quill.train.ExampleBlock;
import dev.quill.train.LocalTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The {@code fused} approach on a convolutional policy ({@link FusedAveraging} with {@code FusedConvStep}): with one worker it is
 * sequential training, so it must end where a single-JVM DL4J {@code fit} on the same minibatches ends.
 */
class ConvAveragingIT {
  private static final ImageShape IMAGE = new ImageShape(3, 8, 8);
  private static SparkSession spark;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[1]", ConvAveragingIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private static ExampleBlock examples(int n) {
    SplittableRandom rng = new SplittableRandom(5);
    ExampleBlock b = ExampleBlock.allocate(n, IMAGE.size(), 2);
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int k = 0; k < IMAGE.size(); k++) {
        float v = (float) rng.nextGaussian();
        b.states()[i * IMAGE.size() + k] = v;
        sum += k % 7 == 0 ? v : 0;
      }
      b.tokens()[i * 2] = Math.floorMod((int) Math.round(sum), 5);
      b.tokens()[i * 2 + 1] = Math.floorMod((int) Math.round(2 * sum), 5);
    }
    return b;
  }

  @Test
  void fusedApproach_convOneWorkerTwoEpochs_equalsSingleJvmDl4jFit() {
    MultiLayerConfiguration conf = PolicyNetworks.conv(IMAGE, 2, 5, List.of(4, 6), List.of(12), new Adam(1e-2), 42,
        DataType.FLOAT);
    ExampleBlock block = examples(5 * 16 + 3);
    MultiLayerNetwork local = new MultiLayerNetwork(conf.clone());
    local.init();
    float[] initial = local.params().dup().data().asFloat();
    LocalTrainer.fit(local, block, 16, 2, 9L, null, null, false);

    // Averaging every 4 minibatches: 6 minibatches per epoch make rounds of 4 and 2.
    TrainConfig tc = new TrainConfig("factorized", List.of(12), 2, 16, 1e-2, 4, "fused", "greedy", 0L, "conv",
        List.of(4, 6));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
    assertEquals("fused", trainer.approach());
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(List.of(block), 1);
    trainer.fitEpoch(blocks, 1);
    trainer.fitEpoch(blocks, 2);

    float[] localFinal = local.params().dup().data().asFloat();
    float[] sparkFinal = trainer.network().params().dup().data().asFloat();
    double change = 0;
    for (int i = 0; i < initial.length; i++) {
      change = Math.max(change, Math.abs(localFinal[i] - initial[i]));
    }
    assertTrue(change > 1e-3, "parameters must change during training, max change " + change);
    assertArrayEquals(localFinal, sparkFinal, 1e-5f);
    assertArrayEquals(local.getUpdater().getStateViewArray().dup().data().asFloat(),
        trainer.network().getUpdater().getStateViewArray().dup().data().asFloat(), 1e-5f);
    assertEquals(12, trainer.network().getIterationCount());
    assertEquals(local.score(), trainer.score(), 1e-4);
  }
}
