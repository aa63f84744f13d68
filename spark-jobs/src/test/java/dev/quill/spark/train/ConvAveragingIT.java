package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quill.loss.DistilledTokenCrossEntropy;
import dev.quill.nn.qat.Quantization;
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
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The {@code fused} approach on a convolutional policy ({@link FusedAveraging} with {@code FusedConvStep}): with one worker it is
 * sequential training, so it must end where a single-JVM DL4J {@code fit} on the same minibatches ends; the
 * same for a fake-quantized student with the distilled loss.
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

    // Averaging frequency 4, but with one worker each epoch is one round (averaging one worker changes nothing).
    TrainConfig tc = new TrainConfig("factorized", List.of(12), 2, 16, 1e-2, 4, "fused", "greedy", 0L, "conv",
        List.of(4, 6));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
    assertEquals("fused", trainer.approach());
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(List.of(block), 1);
    trainer.fitEpoch(blocks, 1);
    trainer.fitEpoch(blocks, 2);

    SameTraining.assertSameParametersAndAdamState(initial, local, trainer.network(), 1e-5f);
    assertEquals(12, trainer.network().getIterationCount());
    assertEquals(local.score(), trainer.score(), 1e-4);
  }

  @Test
  void fusedApproach_w4StudentOneWorker_equalsSingleJvmDl4jFit() {
    // A SQIL student of the conv policy: W4 per-channel fake-quantized kernels and weights, the distilled loss
    // (kl) with alpha 0, 1 or 2 per example; the label rows are tokens, 10 teacher logits, alpha.
    MultiLayerConfiguration conf = Quantization.withFakeQuant(PolicyNetworks.conv(IMAGE, 2, 5, List.of(4, 6), List.of(12),
        new Adam(1e-2), 42, DataType.FLOAT), 4, true);
    ((OutputLayer) conf.getConf(conf.getConfs().size() - 1).getLayer()).setLossFn(new DistilledTokenCrossEntropy(2, 5, "kl"));
    ExampleBlock tokens = examples(3 * 16 + 5);
    int width = 2 + 10 + 1;
    ExampleBlock block = ExampleBlock.allocate(tokens.size(), IMAGE.size(), width);
    System.arraycopy(tokens.states(), 0, block.states(), 0, tokens.states().length);
    SplittableRandom rng = new SplittableRandom(8);
    for (int i = 0; i < block.size(); i++) {
      block.tokens()[i * width] = tokens.tokens()[i * 2];
      block.tokens()[i * width + 1] = tokens.tokens()[i * 2 + 1];
      for (int c = 0; c < 10; c++) {
        block.tokens()[i * width + 2 + c] = (float) rng.nextGaussian();
      }
      block.tokens()[i * width + width - 1] = i % 3;
    }
    MultiLayerNetwork local = new MultiLayerNetwork(conf.clone());
    local.init();
    float[] initial = local.params().dup().data().asFloat();
    LocalTrainer.fit(local, block, 16, 2, 9L, null, null, false);

    TrainConfig tc = new TrainConfig("factorized", List.of(12), 2, 16, 1e-2, 3, "fused", "greedy", 0L, "conv",
        List.of(4, 6));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
    assertEquals("fused", trainer.approach());
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(List.of(block), 1);
    trainer.fitEpoch(blocks, 1);
    trainer.fitEpoch(blocks, 2);

    SameTraining.assertSameParametersAndAdamState(initial, local, trainer.network(), 1e-5f);
    assertEquals(8, trainer.network().getIterationCount());
    assertEquals(local.score(), trainer.score(), 1e-4);
  }
}
