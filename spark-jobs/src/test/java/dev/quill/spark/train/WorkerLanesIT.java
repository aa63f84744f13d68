package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.spark.LocalSpark;
import dev.quill.train.ExampleBlock;
import dev.quill.train.FusedPolicyStep;
import dev.quill.train.LocalTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@code spark.workerLanes}: on {@code local[2]} with {@code spark.task.cpus=2}, one fused worker trains its partition
 * with two data-parallel lanes, which is exactly the single-JVM fused step with two lanes.
 */
class WorkerLanesIT {
  @TempDir
  Path dir;

  private static ExampleBlock examples(int n) {
    SplittableRandom rng = new SplittableRandom(6);
    ExampleBlock b = ExampleBlock.allocate(n, 5, 3);
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int k = 0; k < 5; k++) {
        b.states()[i * 5 + k] = (float) rng.nextGaussian();
        sum += b.states()[i * 5 + k];
      }
      for (int h = 0; h < 3; h++) {
        b.tokens()[i * 3 + h] = (float) Math.floorMod((int) Math.round(sum * (h + 1)), 8);
      }
    }
    return b;
  }

  @Test
  void oneWorkerWithTwoLanes_twoEpochs_equalsSingleJvmTwoLaneStep() {
    MultiLayerConfiguration conf = PolicyNetworks.factorized(5, 3, 8, List.of(16, 16), new Adam(1e-2), 42, DataType.FLOAT);
    ExampleBlock block = examples(9 * 32 + 7);
    MultiLayerNetwork local = new MultiLayerNetwork(conf.clone());
    local.init();
    float[] initial = local.params().dup().data().asFloat();
    LocalTrainer.fit(local, block, 32, 2, 9L, null, null, new FusedPolicyStep(local, 2));

    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("WorkerLanesIT")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.executorEnv.OMP_NUM_THREADS", "1").config("spark.task.cpus", "2").getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      assertEquals(2, SparkPolicyTrainer.lanesPerWorker(jsc));
      TrainConfig tc = new TrainConfig("factorized", List.of(16, 16), 2, 32, 1e-2, 3, "fused");
      SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
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
      assertArrayEquals(localFinal, sparkFinal, 1e-6f);
      assertArrayEquals(local.getUpdater().getStateViewArray().dup().data().asFloat(),
          trainer.network().getUpdater().getStateViewArray().dup().data().asFloat(), 1e-6f);
      assertEquals(20, trainer.network().getIterationCount());
      assertEquals(2, trainer.averagingTimes().rounds(), "one worker: one round per epoch");
    } finally {
      LocalSpark.stop(spark);
    }
  }
}
