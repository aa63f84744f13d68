package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.spark.LocalSpark;
import dev.quill.train.ExampleBlock;
import dev.quill.train.FusedPolicyStep;
import dev.quill.train.LocalTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@code spark.workerLanes}: one fused worker with two data-parallel lanes trains its partition exactly like the
 * single-JVM fused step with two lanes, whether its cores come from {@code spark.task.cpus} ({@code local[2]}), from
 * {@code auto} on a local master, or from the training stage's task resource profile on {@code local-cluster}
 * (one executor process of 2 cores).
 */
class WorkerLanesIT {
  @TempDir
  Path dir;

  @Test
  void taskCpusTwoOnLocal2_oneWorkerWithTwoLanes_equalsSingleJvmTwoLaneStep() throws Exception {
    trainAndCompare(builder("local[2]").config("spark.task.cpus", "2"), false);
  }

  @Test
  void autoOnLocal2_oneWorkerWithTwoLanes_noTaskCpus_equalsSingleJvmTwoLaneStep() throws Exception {
    trainAndCompare(builder("local[2]").config(WorkerLanes.KEY, "auto"), false);
  }

  @Test
  void autoOnLocalCluster_trainingStageClaimsTwoCores_equalsSingleJvmTwoLaneStep() throws Exception {
    String home = System.getenv("SPARK_HOME");
    assertNotNull(home, "SPARK_HOME must be set (the failsafe configuration sets it to target/spark-home)");
    Files.createDirectories(Path.of(home, "jars"));
    trainAndCompare(builder("local-cluster[1,2,1024]").config(WorkerLanes.KEY, "auto")
        .config("spark.extraListeners", RegisteredExecutors.class.getName())
        .config("spark.executor.extraClassPath", System.getProperty("java.class.path")), true);
  }

  @Test
  void autoOnLocal2_convolutionalPolicy_oneLaneAndAWorkerPerCore() {
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    SparkSession spark = builder("local[2]").config(WorkerLanes.KEY, "auto").getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      MultiLayerConfiguration conv = PolicyNetworks.conv(new dev.quill.task.image.ImageShape(3, 8, 8), 2, 5, List.of(4, 6),
          List.of(12), new Adam(1e-2), 42, DataType.FLOAT);
      TrainConfig tc = new TrainConfig("factorized", List.of(12), 1, 16, 1e-2, 3, "fused");
      SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conv, tc, 9L, "fused", dir.toUri().toString());
      assertEquals("fused", trainer.approach());
      assertEquals(2, SparkPolicyTrainer.configuredLanes(jsc));
      assertEquals(1, trainer.lanesPerWorker(), "the convolutional step has one lane");
      assertEquals(2, trainer.workers(), "so each core runs an averaged worker");
    } finally {
      LocalSpark.stop(spark);
    }
  }

  private static SparkSession.Builder builder(String master) {
    return SparkSession.builder().master(master).appName("WorkerLanesIT").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.executorEnv.OMP_NUM_THREADS", "1");
  }

  private void trainAndCompare(SparkSession.Builder builder, boolean profiled) throws Exception {
    MultiLayerConfiguration conf = PolicyNetworks.factorized(5, 3, 8, List.of(16, 16), new Adam(1e-2), 42, DataType.FLOAT);
    ExampleBlock block = SameTraining.mlpExamples(9 * 32 + 7, 8, 6);
    MultiLayerNetwork local = new MultiLayerNetwork(conf.clone());
    local.init();
    float[] initial = local.params().dup().data().asFloat();
    LocalTrainer.fit(local, block, 32, 2, 9L, null, null, new FusedPolicyStep(local, 2));

    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    SparkSession spark = builder.getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Set<Integer> profiles = ConcurrentHashMap.newKeySet();
      jsc.sc().addSparkListener(new SparkListener() {
        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted stage) {
          profiles.add(stage.stageInfo().resourceProfileId());
        }
      });
      TrainConfig tc = new TrainConfig("factorized", List.of(16, 16), 2, 32, 1e-2, 3, "fused");
      SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
      assertEquals(2, trainer.lanesPerWorker());
      assertEquals(1, trainer.workers());
      JavaRDD<ExampleBlock> blocks = jsc.parallelize(List.of(block), 1);
      assertEquals(1, blocks.count(), "a stage besides training");
      trainer.fitEpoch(blocks, 1);
      trainer.fitEpoch(blocks, 2);

      SameTraining.assertSameParametersAndAdamState(initial, local, trainer.network(), 1e-6f);
      assertEquals(20, trainer.network().getIterationCount());
      assertEquals(2, trainer.averagingTimes().rounds(), "one worker: one round per epoch");
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(profiled, profiles.stream().anyMatch(id -> id != 0),
          "training stage with a task resource profile: " + profiled + ", stage profiles " + profiles);
      if (profiled) {
        assertTrue(profiles.contains(0), "the other stage keeps the default profile: " + profiles);
        // The listener QuillSpark registers saw the executor register with its 2 cores (what auto uses on standalone).
        assertEquals(java.util.Optional.of(2), RegisteredExecutors.smallest());
      }
    } finally {
      LocalSpark.stop(spark);
    }
  }
}
