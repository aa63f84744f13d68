package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.AveragingFrequency;
import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.spark.LocalSpark;
import dev.quill.train.ExampleBlock;
import dev.quill.train.LocalTrainer;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Parameter averaging with one worker and averaging frequency 1 is plain sequential training: Quill's
 * Spark trainer (same network configuration, seed, Adam state carried between rounds) must end with the
 * same parameters as a single-JVM {@code fit} on the same minibatches, and the parameters must change.
 * (DL4J's own check, TestCompareParameterAveragingSparkVsSingleMachine, feeds one minibatch per round
 * because the training master splits larger RDDs at random; so do we.)
 */
class SparkVsSingleJvmIT {
  private static SparkSession spark;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[1]", SparkVsSingleJvmIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private static ExampleBlock examples(int n) {
    return SameTraining.mlpExamples(n, 7, 5);
  }

  /** The fused tests' policy: 5 state dims, 3 heads of 7 bins, two hidden layers of 16, Adam 1e-2. */
  private static MultiLayerConfiguration fusedConf() {
    return PolicyNetworks.factorized(5, 3, 7, List.of(16, 16), new Adam(1e-2), 42, DataType.FLOAT);
  }

  private static MultiLayerNetwork initialized(MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
    net.init();
    return net;
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "export"})
  void oneWorker_averagingEveryStep_equalsSingleJvmFit(String approach) {
    MultiLayerConfiguration conf = PolicyNetworks.factorized(5, 3, 7, List.of(16, 16), new Adam(1e-2), 42, DataType.FLOAT);
    List<DataSet> batches = examples(6 * 32).toMinibatches(32, 11L);

    MultiLayerNetwork local = new MultiLayerNetwork(conf.clone());
    local.init();
    float[] initial = local.params().dup().data().asFloat();
    for (DataSet b : batches) {
      local.fit(b);
    }
    float[] localFinal = local.params().dup().data().asFloat();

    TrainConfig tc = TrainConfig.mlp("factorized", List.of(16, 16), 1, 32, 1e-2, 1, approach);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 3, approach, dir.toUri().toString());
    assertArrayEquals(initial, trainer.network().params().dup().data().asFloat(), 0f);
    for (DataSet b : batches) {
      trainer.fit(jsc.parallelize(List.of(b), 1));
    }
    float[] sparkFinal = trainer.network().params().dup().data().asFloat();

    double change = 0;
    for (int i = 0; i < initial.length; i++) {
      change = Math.max(change, Math.abs(localFinal[i] - initial[i]));
    }
    assertTrue(change > 1e-3, "parameters must change during training, max change " + change);
    assertArrayEquals(localFinal, sparkFinal, 1e-6f);
    assertEquals(local.score(), trainer.score(), 1e-4);
  }

  @Test
  void fusedApproach_oneWorkerTwoEpochs_equalsSingleJvmDl4jFit() {
    MultiLayerConfiguration conf = fusedConf();
    ExampleBlock block = examples(7 * 32 + 5);
    MultiLayerNetwork local = initialized(conf);
    float[] initial = local.params().dup().data().asFloat();
    LocalTrainer.fit(local, block, 32, 2, 9L, null, null, false);

    // Averaging frequency 3, but with one worker each epoch is one round (averaging one worker changes nothing).
    TrainConfig tc = new TrainConfig("factorized", List.of(16, 16), 2, 32, 1e-2, 3, "fused");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
    assertEquals("fused", trainer.approach());
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(List.of(block), 1);
    trainer.fitEpoch(blocks, 1);
    trainer.fitEpoch(blocks, 2);

    SameTraining.assertSameParametersAndAdamState(initial, local, trainer.network(), 1e-5f);
    assertEquals(16, trainer.network().getIterationCount());
    assertEquals(local.score(), trainer.score(), 1e-4);
    assertEquals(2, trainer.averagingTimes().rounds(), "one round per epoch");
    assertEquals(1, trainer.averagingTimes().stateKept(), "epoch 2 continues from the state the worker kept");
  }

  /**
   * {@code train.precision: bf16}: one Spark worker trains exactly as the single JVM's fused step with bf16 products
   * (the same products on the same operands), records its worker as a bf16 one, and trains differently from fp32.
   */
  @Test
  void fusedApproach_bf16_oneWorker_equalsSingleJvmBf16StepAndDiffersFromFp32() {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.quill.train.MatmulPrecision.bf16Native(), "no native bf16 here");
    MultiLayerConfiguration conf = fusedConf();
    ExampleBlock block = examples(7 * 32 + 5);
    MultiLayerNetwork local = initialized(conf);
    float[] initial = local.params().dup().data().asFloat();
    LocalTrainer.fit(local, block, 32, 2, 9L, null, null,
        dev.quill.train.FusedStep.forNetwork(local, 1, dev.quill.train.MatmulPrecision.BF16));
    MultiLayerNetwork fp32 = initialized(conf);
    LocalTrainer.fit(fp32, block, 32, 2, 9L, null, null, dev.quill.train.FusedStep.forNetwork(fp32));

    TrainConfig tc = new TrainConfig("factorized", List.of(16, 16), 2, 32, 1e-2, 3, "fused").withPrecision("bf16");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(List.of(block), 1);
    trainer.fitEpoch(blocks, 1);
    trainer.fitEpoch(blocks, 2);

    SameTraining.assertSameParametersAndAdamState(initial, local, trainer.network(), 1e-5f);
    assertEquals(1, trainer.bf16Workers());
    float[] bf16Params = trainer.network().params().dup().data().asFloat();
    float[] fp32Params = fp32.params().dup().data().asFloat();
    double diff = 0;
    for (int i = 0; i < bf16Params.length; i++) {
      diff = Math.max(diff, Math.abs(bf16Params[i] - fp32Params[i]));
    }
    assertTrue(diff > 1e-5, "bf16 products must train differently from fp32, max difference " + diff);
  }

  /**
   * A one-worker round sends no state when the worker kept the driver's state; when the worker is gone (as on a new
   * executor) or the driver's network was changed between epochs, the state travels again and training still equals
   * the single-JVM fused training with the same change.
   */
  @Test
  void fusedApproach_oneWorker_lostWorkerAndChangedDriverState_stillEqualSingleJvm() {
    MultiLayerConfiguration conf = fusedConf();
    ExampleBlock block = examples(5 * 32 + 9);
    MultiLayerNetwork local = initialized(conf);
    float[] initial = local.params().dup().data().asFloat();
    // After epoch 2 the parameters are halved (as a warm start or a user's edit between epochs would change them).
    LocalTrainer.fit(local, block, 32, 4, 9L, null, s -> {
      if (s.epoch() == 2) {
        local.params().muli(0.5f);
      }
    }, dev.quill.train.FusedStep.forNetwork(local));

    TrainConfig tc = new TrainConfig("factorized", List.of(16, 16), 4, 32, 1e-2, 3, "fused");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
    // The executor builds the worker while it "encodes" the partition, as the jobs' encoders do.
    WorkerWarmup warmup = trainer.warmup();
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(List.of(block), 1).map(b -> {
      warmup.start();
      return b;
    }).cache();
    blocks.count();
    assertTrue(warmup.active());
    assertTrue(FusedAveraging.hasWorker(trainer.warmup().spec(), 0), "the worker is built ahead of the first round");
    trainer.fitEpoch(blocks, 1);
    FusedAveraging.dropWorkers();
    trainer.fitEpoch(blocks, 2);
    trainer.network().params().muli(0.5f);
    trainer.fitEpoch(blocks, 3);
    trainer.fitEpoch(blocks, 4);

    SameTraining.assertSameParametersAndAdamState(initial, local, trainer.network(), 1e-5f);
    assertEquals(4 * 6, trainer.network().getIterationCount());
    assertEquals(4, trainer.averagingTimes().rounds());
    // Epoch 2 found no worker and ran again with the state; epoch 3 had a changed state; epoch 4 sent none.
    assertEquals(1, trainer.averagingTimes().stateKept());
  }

  /**
   * {@code train.averagingFrequency: auto} with two workers resolves from the larger shard (10 minibatches of 32:
   * 32768 / 32 = 1024 minibatches of examples per lane, capped at half an epoch, 5) and then trains exactly as that fixed
   * frequency does; another frequency trains differently, so the comparison can fail.
   */
  @Test
  void fusedApproach_twoWorkers_autoFrequency_isHalfTheLargerShardAndEqualsThatFixedFrequency() {
    MultiLayerConfiguration conf = fusedConf();
    List<ExampleBlock> shards = List.of(SameTraining.mlpExamples(9 * 32 + 3, 7, 5), SameTraining.mlpExamples(8 * 32, 7, 6));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(shards, 2).cache();

    SparkPolicyTrainer auto = twoEpochs(jsc, conf, blocks, AveragingFrequency.AUTO);
    assertEquals(java.util.OptionalInt.of(5), auto.averagingFrequency());
    assertEquals(2 * 2, auto.averagingTimes().rounds(), "two rounds per epoch");
    SparkPolicyTrainer fixed = twoEpochs(jsc, conf, blocks, 5);
    SparkPolicyTrainer other = twoEpochs(jsc, conf, blocks, 3);
    assertEquals(2 * 4, other.averagingTimes().rounds());

    float[] autoParams = auto.network().params().dup().data().asFloat();
    assertArrayEquals(fixed.network().params().dup().data().asFloat(), autoParams, 0f);
    assertArrayEquals(fixed.network().getUpdater().getStateViewArray().dup().data().asFloat(),
        auto.network().getUpdater().getStateViewArray().dup().data().asFloat(), 0f);
    float[] otherParams = other.network().params().dup().data().asFloat();
    double diff = 0;
    for (int i = 0; i < autoParams.length; i++) {
      diff = Math.max(diff, Math.abs(autoParams[i] - otherParams[i]));
    }
    assertTrue(diff > 1e-5, "averaging every 3 minibatches must train differently, max difference " + diff);
  }

  /**
   * {@code train.batchScope: global} splits the minibatch of 32 over two workers: each fits 16 rows per step, and after
   * each round (frequency 1) the parameters and Adam state are the average of two fused steps of 16 rows from the same
   * state, computed here by hand with two networks; the {@code worker} scope fits 32 rows per worker instead, so it
   * ends elsewhere.
   */
  @Test
  void fusedApproach_twoWorkers_globalBatch_eachWorkerFitsHalfTheMinibatch_equalsHandAveragedHalfSteps() {
    MultiLayerConfiguration conf = fusedConf();
    List<ExampleBlock> shards = List.of(SameTraining.mlpExamples(32, 7, 5), SameTraining.mlpExamples(32, 7, 6));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(shards, 2).cache();
    TrainConfig global = new TrainConfig("factorized", List.of(16, 16), 1, 32, 1e-2, 1, "fused").withBatchScope("global");
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), global, 9L, "fused", dir.toUri().toString());
    trainer.fitEpoch(blocks, 1);
    assertEquals(16, trainer.workerBatchSize());
    assertEquals(2, trainer.averagingTimes().rounds(), "32 examples per worker in steps of 16");
    assertEquals(2, trainer.network().getIterationCount(), "as many steps as one JVM with minibatches of 32 on 64");

    MultiLayerNetwork avg = initialized(conf);
    float[] initial = avg.params().dup().data().asFloat();
    for (int round = 0; round < 2; round++) {
      MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
      for (int p = 0; p < 2; p++) {
        nets[p] = avg.clone();
        nets[p].setIterationCount(round);
        dev.quill.train.FusedStep step = dev.quill.train.FusedStep.forNetwork(nets[p]);
        step.fit(shards.get(p), shards.get(p).order(LocalTrainer.epochSeed(9L, 1, p)), round * 16, 16);
        step.flush();
      }
      avg.params().assign(nets[0].params().add(nets[1].params()).muli(0.5f));
      avg.getUpdater().getStateViewArray().assign(nets[0].getUpdater().getStateViewArray()
          .add(nets[1].getUpdater().getStateViewArray()).muli(0.5f));
    }
    SameTraining.assertSameParametersAndAdamState(initial, avg, trainer.network(), 1e-6f);

    SparkPolicyTrainer perWorker = new SparkPolicyTrainer(jsc, conf.clone(), global.withBatchScope("worker"), 9L, "fused",
        dir.toUri().toString());
    perWorker.fitEpoch(blocks, 1);
    assertEquals(32, perWorker.workerBatchSize());
    assertEquals(1, perWorker.network().getIterationCount());
  }

  /**
   * With uneven shards the global batch still gives an epoch as many steps as one JVM: 291 + 256 examples, batch 32,
   * 16 per worker, {@code auto} resolves to 10 minibatches per round (two rounds of the larger shard's 19), and the
   * driver's iteration count advances by the workers' mean steps: 10 + round((9 + 6) / 2) = 18 = ceil(547 / 32).
   */
  @Test
  void fusedApproach_twoWorkers_globalBatch_unevenShards_stepsPerEpochAsOneJvm() {
    List<ExampleBlock> shards = List.of(SameTraining.mlpExamples(9 * 32 + 3, 7, 5), SameTraining.mlpExamples(8 * 32, 7, 6));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<ExampleBlock> blocks = jsc.parallelize(shards, 2).cache();
    TrainConfig tc = new TrainConfig("factorized", List.of(16, 16), 1, 32, 1e-2, AveragingFrequency.AUTO, "fused")
        .withBatchScope("global");
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, fusedConf(), tc, 9L, "fused", dir.toUri().toString());
    trainer.fitEpoch(blocks, 1);
    assertEquals(16, trainer.workerBatchSize());
    assertEquals(java.util.OptionalInt.of(10), trainer.averagingFrequency());
    assertEquals(18, trainer.network().getIterationCount());
  }

  private SparkPolicyTrainer twoEpochs(JavaSparkContext jsc, MultiLayerConfiguration conf, JavaRDD<ExampleBlock> blocks,
      int frequency) {
    TrainConfig tc = new TrainConfig("factorized", List.of(16, 16), 2, 32, 1e-2, frequency, "fused");
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf.clone(), tc, 9L, "fused", dir.toUri().toString());
    trainer.fitEpoch(blocks, 1);
    trainer.fitEpoch(blocks, 2);
    return trainer;
  }

  @Test
  void fusedApproach_lsqStudentFallsBackToDl4jMaster_fakeQuantStudentIsFused() {
    MultiLayerConfiguration w4 = dev.quill.nn.qat.Quantization.withFakeQuant(
        PolicyNetworks.factorized(5, 3, 7, List.of(16), new Adam(1e-2), 42, DataType.FLOAT), 4, true);
    MultiLayerConfiguration w4a4 = dev.quill.nn.qat.Quantization.withActivationQuant(w4, 4);
    TrainConfig tc = new TrainConfig("factorized", List.of(16), 1, 32, 1e-2, 1, "fused");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    assertEquals("export", new SparkPolicyTrainer(jsc, w4a4, tc, 3, "fused", dir.toUri().toString()).approach());
    assertEquals("fused", new SparkPolicyTrainer(jsc, w4, tc, 3, "fused", dir.toUri().toString()).approach());
  }
}
