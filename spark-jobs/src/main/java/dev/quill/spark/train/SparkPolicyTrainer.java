package dev.quill.spark.train;

import dev.quill.spark.SparkMasters;
import dev.quill.policy.AveragingFrequency;
import dev.quill.policy.TrainConfig;
import dev.quill.train.ExampleBlock;
import dev.quill.train.FusedPolicyStep;
import dev.quill.train.FusedStep;
import dev.quill.train.LocalTrainer;
import dev.quill.train.MatmulPrecision;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import dev.quill.train.TeacherForcing;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy network by parameter averaging: each worker fits {@code averagingFrequency}
 * minibatches of {@code batchSize}, then parameters and Adam state are averaged. The {@code fused}
 * approach does this with {@link FusedAveraging} (a {@link FusedStep} per worker: {@code FusedPolicyStep}
 * for MLP policies, {@code FusedConvStep} for convolutional ones; examples never leave the executors' cached blocks);
 * {@code export} and {@code direct} with DL4J's
 * ParameterAveragingTrainingMaster. Examples stay on the executors as cached {@link ExampleBlock}s (one
 * per partition) and are re-cut into shuffled minibatches every epoch. The autoregressive head's
 * ComputationGraph is trained by DL4J's training master through {@link SparkComputationGraph}, its
 * minibatches turned into two-input {@link MultiDataSet}s on the executors ({@link TeacherForcing}).
 *
 * <p>Not thread-safe; one trainer per Spark application.
 */
public final class SparkPolicyTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(SparkPolicyTrainer.class);
  private final SparkDl4jMultiLayer sparkNet;
  private final SparkComputationGraph sparkGraph;
  private final int vocab;
  private final TrainConfig config;
  private final long seed;
  private final FusedAveraging fused;
  private final String approach;
  private final int defaultParallelism;
  private final int lanes;

  /**
   * Creates a trainer.
   *
   * @param approach {@code fused}, {@code export} or {@code direct} (already resolved from {@code auto});
   *     {@code fused} falls back to {@code export} (local masters) or {@code direct} for networks
   *     no {@link FusedStep} supports; {@link #fit(JavaRDD)} always uses DL4J's master
   * @param exportDirectory URI of a scratch folder for the export approach
   */
  public SparkPolicyTrainer(JavaSparkContext sc, MultiLayerConfiguration conf, TrainConfig config, long seed,
      String approach, String exportDirectory) {
    MultiLayerNetwork probe = "fused".equals(approach) ? probe(conf) : null;
    boolean fusable = probe != null && FusedStep.unsupportedReason(probe).isEmpty();
    if ("fused".equals(approach) && !fusable) {
      approach = SparkMasters.isLocal(sc.master()) ? "export" : "direct";
    }
    this.sparkNet = new SparkDl4jMultiLayer(sc, conf, master(config, seed, approach, exportDirectory));
    this.sparkGraph = null;
    this.vocab = 0;
    this.config = config;
    this.seed = seed;
    this.approach = approach;
    // Lanes need the MLP step (FusedPolicyStep); the convolutional step runs one lane per worker.
    this.lanes = fusable && FusedPolicyStep.unsupportedReason(probe).isEmpty() ? configuredLanes(sc) : 1;
    this.defaultParallelism = sc.defaultParallelism();
    this.fused = fusable ? new FusedAveraging(sc, conf, config, seed, threadsPerWorker(sc), lanes,
        WorkerLanes.trainingProfile(sc.getConf(), lanes).orElse(null)) : null;
    checkFusedOnlyKeys(config, approach, sc.master());
  }

  /**
   * The keys only the fused approach honours: DL4J's training masters fit {@code train.batchSize} per worker and multiply
   * in fp32, and say so in a warning. With the fused approach on a local master, whose workers run on this JVM's CPU,
   * {@code train.precision: bf16} on a CPU without AVX-512 BF16 fails here, before any Spark job (executors elsewhere
   * check their own CPU when they build their worker).
   */
  private static void checkFusedOnlyKeys(TrainConfig config, String approach, String master) {
    boolean fused = "fused".equals(approach);
    if (config.globalBatch() && !fused) {
      LOG.warn("train.batchScope: global applies to the fused approach; DL4J's training master ({}) fits minibatches of"
          + " train.batchSize = {} per worker", approach, config.batchSize());
    }
    if ("fp32".equals(config.precision())) {
      return;
    }
    if (!fused) {
      LOG.warn("train.precision: {} applies to the fused approach; DL4J's training master ({}) multiplies in fp32",
          config.precision(), approach);
    } else if (SparkMasters.isLocal(master)) {
      LOG.info("train.precision {}: {} on this machine", config.precision(),
          MatmulPrecision.resolve(config.precision()).describe());
    }
  }

  /**
   * Creates a trainer of the autoregressive head's graph ({@code vocab} tokens per action dimension);
   * other arguments as for the network form. The fused approach does not support graphs: it falls back
   * to {@code export} on local masters and {@code direct} elsewhere.
   */
  public SparkPolicyTrainer(JavaSparkContext sc, ComputationGraphConfiguration conf, int vocab, TrainConfig config, long seed,
      String approach, String exportDirectory) {
    if ("fused".equals(approach) || "auto".equals(approach)) {
      approach = SparkMasters.isLocal(sc.master()) ? "export" : "direct";
    }
    this.sparkNet = null;
    this.sparkGraph = new SparkComputationGraph(sc, conf, master(config, seed, approach, exportDirectory));
    this.vocab = vocab;
    this.config = config;
    this.seed = seed;
    this.approach = approach;
    this.fused = null;
    this.lanes = 1;
    this.defaultParallelism = sc.defaultParallelism();
    checkFusedOnlyKeys(config, approach, sc.master());
  }

  private static ParameterAveragingTrainingMaster master(TrainConfig config, long seed, String approach,
      String exportDirectory) {
    ParameterAveragingTrainingMaster.Builder tm = new ParameterAveragingTrainingMaster.Builder(config.batchSize())
        .batchSizePerWorker(config.batchSize())
        .averagingFrequency(AveragingFrequency.forTrainingMaster(config.averagingFrequency()))
        .workerPrefetchNumBatches(2)
        .saveUpdater(true)
        .rngSeed(seed)
        .repartionData(Repartition.NumPartitionsWorkersDiffers)
        .rddTrainingApproach("direct".equals(approach) ? RDDTrainingApproach.Direct : RDDTrainingApproach.Export);
    if ("export".equals(approach)) {
      tm.exportDirectory(exportDirectory);
    }
    return tm.build();
  }

  private static MultiLayerNetwork probe(MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
    net.init();
    return net;
  }


  /**
   * Native threads per worker of the fused approach: {@code spark.ompThreads} (passed to executors as
   * {@code spark.executorEnv.OMP_NUM_THREADS}), else 1; one core-sized worker per task slot.
   */
  static int threadsPerWorker(JavaSparkContext sc) {
    return Math.max(1, Integer.parseInt(sc.getConf().get("spark.executorEnv.OMP_NUM_THREADS", "1").trim()));
  }

  /**
   * Data-parallel lanes per worker configured for this thread's jobs: the Spark setting {@value WorkerLanes#KEY}
   * (spark-submit, {@code QuillSpark}), else the job's ({@link WorkerLanes#use}), resolved by {@link WorkerLanes#resolve}.
   */
  public static int configuredLanes(JavaSparkContext sc) {
    return WorkerLanes.resolve(sc.getConf(), sc.getLocalProperty(WorkerLanes.KEY), RegisteredExecutors.smallest());
  }

  /**
   * Data-parallel lanes of each worker: {@link #configuredLanes} for the fused approach on an MLP policy, else 1
   * (the convolutional fused step and DL4J's training master run one lane per worker).
   */
  public int lanesPerWorker() {
    return lanes;
  }

  /**
   * Workers that run at once: the cores ({@code defaultParallelism}) divided by {@link #lanesPerWorker}, at least 1.
   * Callers cut the examples into that many partitions ({@link #perWorker}).
   */
  public int workers() {
    return WorkerLanes.workers(defaultParallelism, lanes);
  }

  /** {@code rows} in {@link #workers} partitions: coalesced when it has at least as many, else repartitioned. */
  public <T> JavaRDD<T> perWorker(JavaRDD<T> rows) {
    int workers = workers();
    return rows.getNumPartitions() >= workers ? rows.coalesce(workers) : rows.repartition(workers);
  }

  /**
   * What executors prepare for this trainer's workers while they encode the examples of {@link #perWorker}'s
   * partitions ({@link WorkerWarmup#start}); nothing when the workers are not fused.
   */
  public WorkerWarmup warmup() {
    return fused == null ? WorkerWarmup.NONE : new WorkerWarmup(fused.spec());
  }

  /**
   * Minibatches each worker fitted between averages in the last epoch: {@code train.averagingFrequency} as resolved
   * ({@link AveragingFrequency#resolve} for fused workers, {@link AveragingFrequency#forTrainingMaster} for DL4J's
   * training master); empty for one fused worker, which averages once per epoch, or before the first fused epoch.
   */
  public OptionalInt averagingFrequency() {
    if (fused == null) {
      return OptionalInt.of(AveragingFrequency.forTrainingMaster(config.averagingFrequency()));
    }
    int f = fused.resolvedFrequency();
    return f > 0 ? OptionalInt.of(f) : OptionalInt.empty();
  }

  /**
   * The minibatch each worker fitted in the last epoch: for fused workers {@code train.batchSize}, or its share per
   * worker for {@code train.batchScope: global}; DL4J's training masters always fit {@code train.batchSize} per worker.
   */
  public int workerBatchSize() {
    return fused == null ? config.batchSize() : fused.workerBatchSize();
  }

  /**
   * Workers whose matrix products were bf16 in the last round ({@code train.precision}); 0 for fp32 and for DL4J's
   * training masters, which multiply in float32.
   */
  public int bf16Workers() {
    return fused == null ? 0 : fused.bf16Workers();
  }

  /** The approach in effect: {@code fused}, {@code export} or {@code direct}. */
  public String approach() {
    return approach;
  }

  /** Resolves {@code auto} to {@code fused} (on every master); other values are returned unchanged. */
  public static String resolveApproach(String approach, String master) {
    return "auto".equals(approach) ? "fused" : approach;
  }

  /** The driver-side network, updated after every {@link #fitEpoch} or {@link #fit} call ({@code null} for a graph). */
  public MultiLayerNetwork network() {
    return sparkNet == null ? null : sparkNet.getNetwork();
  }

  /** The driver-side graph of the autoregressive head ({@code null} for a network). */
  public ComputationGraph graph() {
    return sparkGraph == null ? null : sparkGraph.getNetwork();
  }

  /** The driver-side network or graph. */
  public Model model() {
    return sparkNet != null ? sparkNet.getNetwork() : sparkGraph.getNetwork();
  }

  /** Iterations (minibatch updates) of the driver-side model so far. */
  public int iterationCount() {
    return sparkNet != null ? sparkNet.getNetwork().getIterationCount() : sparkGraph.getNetwork().getIterationCount();
  }

  /** Replaces the network's parameters and updater state (warm start, resume). */
  public void setNetwork(MultiLayerNetwork network) {
    sparkNet.setNetwork(network);
  }

  /** Replaces the graph's parameters and updater state (warm start, resume of the autoregressive head). */
  public void setGraph(ComputationGraph graph) {
    sparkGraph.setNetwork(graph);
  }

  /** The last training loss reported by the workers. */
  public double score() {
    if (fused != null && !Double.isNaN(fused.score())) {
      return fused.score();
    }
    return sparkNet != null ? sparkNet.getScore() : sparkGraph.getScore();
  }

  /** The driver-side model's loss on {@code examples} (for the graph: with teacher forcing). */
  public double score(DataSet examples) {
    return sparkNet != null ? sparkNet.getNetwork().score(examples, false)
        : sparkGraph.getNetwork().score(TeacherForcing.toMultiDataSet(examples, vocab), false);
  }

  /**
   * Where the {@code fused} approach's averaging rounds spent their time so far ({@link AveragingTimes#NONE}
   * for the other approaches, whose rounds DL4J runs).
   */
  public AveragingTimes averagingTimes() {
    return fused == null ? AveragingTimes.NONE : fused.times();
  }

  /** Fits one epoch: every block is cut into minibatches shuffled with the epoch's seed. */
  public void fitEpoch(JavaRDD<ExampleBlock> blocks, int epoch) {
    if (fused != null) {
      fused.fitEpoch(sparkNet.getNetwork(), blocks, epoch);
      return;
    }
    JavaRDD<DataSet> batches = blocks.mapPartitionsWithIndex(new Minibatches(config.batchSize(), seed, epoch), true);
    if (sparkNet != null) {
      sparkNet.fit(batches);
    } else {
      int v = vocab;
      sparkGraph.fitMultiDataSet(batches.map(b -> TeacherForcing.toMultiDataSet(b, v)));
    }
  }

  /** Fits the given minibatches as one parameter-averaging round (tests use single minibatches). */
  public void fit(JavaRDD<DataSet> minibatches) {
    sparkNet.fit(minibatches);
  }

  /** Cuts each partition's block into shuffled minibatches on the executor. */
  private static final class Minibatches implements Function2<Integer, Iterator<ExampleBlock>, Iterator<DataSet>> {
    private static final long serialVersionUID = 1L;
    private final int batchSize;
    private final long seed;
    private final int epoch;

    Minibatches(int batchSize, long seed, int epoch) {
      this.batchSize = batchSize;
      this.seed = seed;
      this.epoch = epoch;
    }

    @Override
    public Iterator<DataSet> call(Integer partition, Iterator<ExampleBlock> blocks) {
      List<DataSet> out = new ArrayList<>();
      while (blocks.hasNext()) {
        out.addAll(blocks.next().toMinibatches(batchSize, LocalTrainer.epochSeed(seed, epoch, partition)));
      }
      return out.iterator();
    }
  }
}
