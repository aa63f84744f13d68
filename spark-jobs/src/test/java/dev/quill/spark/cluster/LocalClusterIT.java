package dev.quill.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.spark.LocalSpark;
import dev.quill.spark.RunLayout;
import dev.quill.spark.pipeline.PipelineJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.quill.config.SparkConfig;
import dev.quill.spark.QuillSpark;
import dev.quill.train.FusedPolicyStep;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on {@code local-cluster[2,1,1024]}: two real executor processes, Kryo with
 * {@link dev.quill.spark.QuillKryoRegistrator} and registration required (any unregistered class that
 * reaches Kryo fails the job), Quill's fused parameter averaging (its broadcasts and tree aggregation
 * go through Kryo too).
 */
class LocalClusterIT {
  @TempDir
  Path dir;

  @Test
  void pipeline_localClusterWithKryoRegistrationRequired_trainsAndEvaluates() throws IOException {
    String home = System.getenv("SPARK_HOME");
    assertNotNull(home, "SPARK_HOME must be set (the failsafe configuration sets it to target/spark-home)");
    Files.createDirectories(Path.of(home, "jars"));
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("LocalClusterIT")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .config("spark.executorEnv.OMP_NUM_THREADS", "1")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "dev.quill.spark.QuillKryoRegistrator")
        .config("spark.kryo.registrationRequired", "true")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    try {
      QuillConfig config = ConfigLoader.load(null, List.of("task.name=linear", "task.episodes=150", "task.expertNoise=0",
          "quantize.numBins=32", "train.hidden=[32, 32]", "train.epochs=3", "eval.episodes=10"));
      PipelineJob.Result r = PipelineJob.run(spark, config, new RunLayout(dir.resolve("run")), "test");
      assertEquals(3, spark.sparkContext().statusTracker().getExecutorInfos().length, "driver + 2 executors");
      assertEquals("fused", r.train().approach());
      assertEquals(2, r.train().workers());
      assertEquals(150, r.ingest().episodes());
      assertEquals(10, r.eval().policy().episodes());
      double first = r.train().epochs().get(0).heldoutLoss();
      double last = r.train().finalHeldoutLoss();
      assertTrue(last < first && last < Math.log(32), "held-out loss " + first + " -> " + last);
      // train.averagingFrequency: auto with two workers of batch 64: the epoch in two equal rounds (the target of 32,768
      // examples per lane exceeds these shards), so half the larger shard's minibatches; the larger shard holds at least
      // half the examples. metrics.json records the value in effect.
      int frequency = r.train().averagingFrequency();
      long minibatches = (r.train().trainExamples() + 63) / 64;
      assertTrue(frequency >= ((minibatches + 1) / 2 + 1) / 2 && frequency <= (minibatches + 1) / 2,
          "averaging every " + frequency + " of " + minibatches + " minibatches in all");
      com.fasterxml.jackson.databind.JsonNode metrics = dev.quill.util.Json.MAPPER.readTree(
          dir.resolve("run").resolve("metrics.json").toFile()).path("train");
      assertEquals(frequency, metrics.path("averagingFrequency").intValue());
      // train.batchScope: worker (the default): each worker fits the whole train.batchSize.
      assertEquals(64, r.train().workerBatchSize());
      assertEquals(64, metrics.path("workerBatchSize").intValue());
      // train.precision: fp32 (the default): no worker multiplied in bf16.
      assertEquals(0, r.train().bf16Workers());
      assertEquals(0, metrics.path("bf16Workers").intValue());
    } finally {
      LocalSpark.stop(spark);
    }
  }

  /**
   * Quill's Spark settings give executor processes the Java Vector API module, so their fused steps take the Vector
   * API kernels (this test's own JVM, the driver, runs without the module); {@code false} leaves the executors' JVM
   * options alone.
   */
  @Test
  void executorsOfQuillsSparkSettingsTrainWithTheVectorApiKernelsUnlessTurnedOff() {
    assertEquals(List.of(true, true), executorsUseVectorKernels("true"));
    assertEquals(List.of(false, false), executorsUseVectorKernels("false"));
  }

  private static List<Boolean> executorsUseVectorKernels(String setting) {
    String home = System.getenv("SPARK_HOME");
    assertNotNull(home, "SPARK_HOME must be set (the failsafe configuration sets it to target/spark-home)");
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    SparkConf conf = QuillSpark.configure(new SparkConf(false).setMaster("local-cluster[2,1,1024]")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .set(QuillSpark.VECTOR_MODULE_KEY, setting), new SparkConfig("", 2, 1, "1"), "LocalClusterIT-vector", null);
    try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
      return jsc.parallelize(List.of(0, 1), 2).map(i -> FusedPolicyStep.vectorSoftmax(256)).collect();
    }
  }
}
