package dev.quill.spark.train;

import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.policy.AveragingFrequency;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.policy.PolicyInfo;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerFiles;
import dev.quill.spark.Datasets;
import dev.quill.spark.RunLayout;
import dev.quill.spark.ingest.DatasetMeta;
import dev.quill.train.EpochStats;
import dev.quill.train.ExampleBlock;
import dev.quill.train.ExampleEncoder;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Hashing;
import dev.quill.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill train}: the policy of {@code train.head} (see {@link dev.quill.policy.PolicyNetworks}:
 * token heads trained with log-loss over action tokens, the continuous head with MSE) by DL4J
 * parameter averaging. Training examples are built inside the executors from the canonical dataset
 * (states normalized with {@code stats.json}, actions encoded with the fitted tokenizer) and cached
 * there; the driver only sees a sample of held-out examples to report held-out loss. A checkpoint
 * (a full policy directory, Adam state included, plus {@link TrainState}: epoch, seed, data position,
 * input hashes) is written after every epoch; the last three are kept. With {@code resume}, training
 * continues after the newest checkpoint, so a killed run loses at most one epoch.
 */
public final class TrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
  private static final int MAX_HELDOUT_EXAMPLES = 20_000;
  private static final int CHECKPOINTS_KEPT = 3;

  private TrainJob() {}

  /**
   * Result of training.
   *
   * @param policyDir the saved policy directory
   * @param epochs per-epoch measurements
   * @param trainExamples training examples per epoch
   * @param heldoutExamples held-out examples scored per epoch
   * @param workers parallel workers (the cores divided by the lanes per worker)
   * @param approach the training approach used ({@code fused}, {@code export} or {@code direct})
   * @param lanesPerWorker data-parallel lanes of each {@code fused} worker (1 for the other approaches)
   * @param averagingFrequency minibatches each worker fitted between averages in the last epoch
   *     ({@code train.averagingFrequency} as resolved, {@link SparkPolicyTrainer#averagingFrequency}); 0 for one fused
   *     worker, which averages once per epoch (and in stage results recorded before the field existed)
   * @param workerBatchSize the minibatch each worker fitted in the last epoch: {@code train.batchSize}, or its share per
   *     worker for {@code train.batchScope: global} ({@link SparkPolicyTrainer#workerBatchSize}); 0 in results written
   *     before the field existed
   * @param bf16Workers workers whose matrix products were bf16 in the last round ({@code train.precision}
   *     {@code bf16}, or {@code auto} on CPUs with AVX-512 BF16; {@link SparkPolicyTrainer#bf16Workers}); 0 for fp32
   */
  public record Result(Path policyDir, List<EpochStats> epochs, long trainExamples, long heldoutExamples, int workers,
      String approach, int lanesPerWorker, int averagingFrequency, int workerBatchSize, int bf16Workers) {

    /** Held-out loss after the last epoch. */
    public double finalHeldoutLoss() {
      return epochs.get(epochs.size() - 1).heldoutLoss();
    }

    /** Examples per second over all epochs. */
    public double examplesPerSecond() {
      double seconds = epochs.stream().mapToDouble(EpochStats::seconds).sum();
      return seconds > 0 ? trainExamples * epochs.size() / seconds : 0;
    }
  }

  /** Trains from scratch on {@code layout}'s dataset, stats and tokenizer; writes the policy and checkpoints. */
  public static Result run(SparkSession spark, QuillConfig config, RunLayout layout) {
    return run(spark, config, layout, Options.DEFAULT);
  }

  /**
   * How a training run starts and reports.
   *
   * @param resume continue after the newest checkpoint of the run (see {@link #run(SparkSession, QuillConfig, RunLayout, Options)})
   * @param warmStart a policy directory whose network (same shape) initializes training when not resuming, or {@code null}
   * @param onEpoch called on the driver after every epoch (progress events); may be {@code null}
   */
  public record Options(boolean resume, Path warmStart, Consumer<EpochStats> onEpoch) {
    /** From scratch, no listener. */
    public static final Options DEFAULT = new Options(false, null, null);
  }

  /**
   * Trains on {@code layout}'s dataset, stats and tokenizer; writes the policy and checkpoints. With
   * {@code resume}, continues from the newest checkpoint that has a {@link TrainState} (from scratch when
   * there is none); the checkpoint must have been made from the same inputs, seed and training
   * configuration ({@code train.epochs} may differ), otherwise an {@link IllegalStateException} names what changed.
   * Without a checkpoint to resume from, old checkpoints are deleted and {@code warmStart} (if set)
   * initializes the network.
   *
   * @throws TrainingFailedException when a loss becomes non-finite or an epoch fails
   */
  public static Result run(SparkSession spark, QuillConfig config, RunLayout layout, Options options) {
    DatasetMeta meta = DatasetMeta.read(layout.dataset());
    DatasetStats stats = DatasetStats.read(layout.stats());
    ActionTokenizer tokenizer = TokenizerFiles.read(layout.tokenizer());
    if (tokenizer.actionDim() != meta.actionDim() || stats.state().dim() != meta.stateDim()) {
      throw new IllegalStateException("dataset (state " + meta.stateDim() + ", action " + meta.actionDim() + "), stats (state "
          + stats.state().dim() + ") and tokenizer (action " + tokenizer.actionDim() + ") disagree; rerun stats and quantize");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    WorkerLanes.use(jsc, config.spark());
    HeadCheck.check(config.train().head(), tokenizer);
    String approach = SparkPolicyTrainer.resolveApproach(config.train().approach(), spark.sparkContext().master());
    long seed = Seeds.derive(config.seed(), Seeds.TRAIN, 0);
    Path export = layout.scratch().resolve("train-export");
    SparkPolicyTrainer trainer = HeadCheck.trainer(jsc, meta.stateDim(),
        config.train().network().equals("conv") ? config.task().create().imageShape() : null, tokenizer, config.train(), seed,
        approach, export.toUri().toString());
    int workers = trainer.workers();
    int lanes = trainer.lanesPerWorker();

    ExampleEncoder encoder = new ExampleEncoder(stats, tokenizer, !config.train().tokenHead());
    Broadcast<ExampleEncoder> enc = jsc.broadcast(encoder);
    Dataset<Row> trainRows = Datasets.train(spark, layout.dataset()).select(q(Columns.STATE), q(Columns.ACTION));
    JavaRDD<ExampleBlock> blocks = trainer.perWorker(trainRows.javaRDD()).mapPartitions(new ToBlock(enc, trainer.warmup()))
        .persist(StorageLevel.MEMORY_ONLY());
    long trainExamples = blocks.map(ExampleBlock::size).reduce(Integer::sum);
    DataSet heldout = heldoutExamples(spark, layout.dataset(), encoder);
    LOG.info("Training {} epochs on {} examples ({} held out) with {} worker(s) of {} lane(s), batch {} ({}), averaging"
            + " frequency {}, {} approach", config.train().epochs(), trainExamples,
        heldout == null ? 0 : heldout.numExamples(), workers, lanes, config.train().batchSize(),
        config.train().globalBatch() ? "global: split over the workers" : "per worker",
        AveragingFrequency.text(config.train().averagingFrequency()),
        trainer.approach());

    TrainCheckpoints checkpoints = new TrainCheckpoints(layout.checkpoints(), CHECKPOINTS_KEPT);
    Map<String, String> inputs = inputHashes(layout);
    List<EpochStats> epochs = new ArrayList<>();
    if (options.resume()) {
      epochs.addAll(Resume.restore(checkpoints, trainer, config.train(), seed, inputs, trainExamples));
    }
    if (epochs.isEmpty()) {
      AtomicFiles.deleteRecursively(layout.checkpoints());
      Resume.warmStart(trainer, options.warmStart());
    }
    int first = epochs.size() + 1;
    long started = System.nanoTime();
    try {
      for (int epoch = first; epoch <= config.train().epochs(); epoch++) {
        EpochStats s = fitEpoch(trainer, blocks, heldout, epoch, trainExamples);
        double heldoutLoss = s.heldoutLoss();
        epochs.add(s);
        checkpoints.save(policy(trainer, tokenizer, stats, meta, config, seed, epoch, heldoutLoss),
            Resume.state(epoch, seed, trainer, trainExamples, inputs, config.train(), epochs));
        double elapsed = (System.nanoTime() - started) / 1e9;
        double eta = elapsed / (epoch - first + 1) * (config.train().epochs() - epoch);
        LOG.info("epoch {}/{}: train loss {}, held-out loss {}, {} ex/s, ETA {}", epoch, config.train().epochs(),
            fmt(s.trainLoss()), fmt(heldoutLoss), Math.round(s.examplesPerSecond()), duration(eta));
        if (options.onEpoch() != null) {
          options.onEpoch().accept(s);
        }
      }
    } finally {
      blocks.unpersist();
      enc.destroy();
      AtomicFiles.deleteRecursively(export);
    }
    PolicyFiles.save(policy(trainer, tokenizer, stats, meta, config, seed, epochs.size(),
        epochs.get(epochs.size() - 1).heldoutLoss()), layout.policy());
    LOG.info("Policy saved to {}", layout.policy());
    return new Result(layout.policy(), epochs, trainExamples, heldout == null ? 0 : heldout.numExamples(), workers,
        trainer.approach(), lanes, trainer.averagingFrequency().orElse(0), trainer.workerBatchSize(),
        trainer.bf16Workers());
  }

  private static Policy policy(SparkPolicyTrainer trainer, ActionTokenizer tokenizer, DatasetStats stats, DatasetMeta meta,
      QuillConfig config, long seed, int epochs, double heldoutLoss) {
    PolicyInfo info = new PolicyInfo(PolicyInfo.FORMAT, PolicyInfo.FORMAT_VERSION, config.train().head(),
        meta.task().isEmpty() ? config.task().name() : meta.task(), meta.stateDim(), meta.actionDim(), meta.stateNames(),
        meta.actionNames(), config.train(), seed, epochs, heldoutLoss);
    return trainer.graph() != null ? new Policy(trainer.graph(), tokenizer, stats, info)
        : new Policy(trainer.network(), tokenizer, stats, info);
  }

  private static EpochStats fitEpoch(SparkPolicyTrainer trainer, JavaRDD<ExampleBlock> blocks, DataSet heldout, int epoch,
      long trainExamples) {
    long t0 = System.nanoTime();
    try {
      trainer.fitEpoch(blocks, epoch);
    } catch (RuntimeException e) {
      throw new TrainingFailedException("training failed in epoch " + epoch + ": " + e, e);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double heldoutLoss = heldout == null ? Double.NaN : trainer.score(heldout);
    if (!Double.isFinite(trainer.score()) || (heldout != null && !Double.isFinite(heldoutLoss))) {
      throw new TrainingFailedException("training diverged in epoch " + epoch + ": train loss " + trainer.score()
          + ", held-out loss " + heldoutLoss + "; lower train.learningRate", null);
    }
    return new EpochStats(epoch, trainer.score(), heldoutLoss, seconds, trainExamples);
  }

  private static Map<String, String> inputHashes(RunLayout layout) {
    Map<String, String> h = new TreeMap<>();
    h.put("dataset", Hashing.sha256(layout.dataset()));
    h.put("stats", Hashing.sha256(layout.stats()));
    h.put("tokenizer", Hashing.sha256(layout.tokenizer()));
    return h;
  }

  private static DataSet heldoutExamples(SparkSession spark, Path dataset, ExampleEncoder encoder) {
    List<Row> rows = Datasets.heldout(spark, dataset).select(q(Columns.STATE), q(Columns.ACTION))
        .limit(MAX_HELDOUT_EXAMPLES).collectAsList();
    if (rows.isEmpty()) {
      return null;
    }
    ExampleBlock block = ExampleBlock.allocate(rows.size(), encoder.stateDim(), encoder.numHeads());
    for (int i = 0; i < rows.size(); i++) {
      encoder.encode(Datasets.vector(rows.get(i), 0), Datasets.vector(rows.get(i), 1), block, i);
    }
    return block.toMinibatches(rows.size(), null).get(0);
  }

  private static String q(String column) {
    return "`" + column + "`";
  }

  private static String fmt(double v) {
    return String.format("%.4f", v);
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
  }

  /** Executor side: encodes one partition's rows into one example block. */
  private static final class ToBlock implements FlatMapFunction<Iterator<Row>, ExampleBlock> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<ExampleEncoder> encoder;
    private final WorkerWarmup warmup;

    ToBlock(Broadcast<ExampleEncoder> encoder, WorkerWarmup warmup) {
      this.encoder = encoder;
      this.warmup = warmup;
    }

    @Override
    public Iterator<ExampleBlock> call(Iterator<Row> rows) {
      // This executor's fused worker and its kernels are prepared on spare threads while it encodes.
      warmup.start();
      ExampleEncoder e = encoder.value();
      List<double[][]> pairs = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        pairs.add(new double[][] {Datasets.vector(r, 0), Datasets.vector(r, 1)});
      }
      ExampleBlock block = ExampleBlock.allocate(pairs.size(), e.stateDim(), e.numHeads());
      for (int i = 0; i < pairs.size(); i++) {
        e.encode(pairs.get(i)[0], pairs.get(i)[1], block, i);
      }
      return List.of(block).iterator();
    }
  }
}
