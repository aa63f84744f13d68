package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.spark.LocalSpark;
import dev.quill.train.ExampleBlock;
import dev.quill.train.FusedPolicyStep;
import dev.quill.train.LocalTrainer;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void oneWorkerWithTwoLanes_twoEpochs_equalsSingleJvmTwoLaneStep() {
    MultiLayerConfiguration conf = PolicyNetworks.factorized(5, 3, 8, List.of(16, 16), new Adam(1e-2), 42, DataType.FLOAT);
    ExampleBlock block = SameTraining.mlpExamples(9 * 32 + 7, 8, 6);
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

      SameTraining.assertSameParametersAndAdamState(initial, local, trainer.network(), 1e-6f);
      assertEquals(20, trainer.network().getIterationCount());
      assertEquals(2, trainer.averagingTimes().rounds(), "one worker: one round per epoch");
    } finally {
      LocalSpark.stop(spark);
    }
  }
}
