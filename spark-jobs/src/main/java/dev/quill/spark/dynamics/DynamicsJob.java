package dev.quill.spark.dynamics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;

import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.dynamics.DynamicsConfig;
import dev.quill.dynamics.DynamicsInfo;
import dev.quill.dynamics.DynamicsModel;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerFiles;
import dev.quill.spark.Datasets;
import dev.quill.spark.RunLayout;
import dev.quill.spark.train.SparkPolicyTrainer;
import dev.quill.spark.train.WorkerLanes;
import dev.quill.spark.train.WorkerWarmup;
import dev.quill.train.ExampleBlock;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Seeds;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill dynamics}: trains the token-conditioned Gaussian dynamics model {@link DynamicsModel} on
 * the consecutive frames of every training episode, {@code (x_t, q(a_t)) -> x_{t+1}} (tokens from the
 * run's tokenizer, state-aware), by DL4J parameter averaging with {@code train.batchSize} and
 * {@code train.averagingFrequency}; pairs are formed on the executors with a Spark SQL {@code lead} over
 * each episode's frames. Writes {@code dynamics/} atomically.
 */
public final class DynamicsJob {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicsJob.class);
  private static final int MAX_HELDOUT = 20_000;
  private static final long SALT = 0x44594eL;

  private DynamicsJob() {}

  /**
   * Result of training.
   *
   * @param dir the saved model directory
   * @param transitions training transitions per epoch
   * @param heldoutNll held-out Gaussian NLL per epoch (NaN without held-out episodes)
   */
  public record Result(Path dir, long transitions, List<Double> heldoutNll) implements Serializable {}

  /** Trains on {@code layout}'s dataset, stats and tokenizer and writes {@code layout.dynamics()}. */
  public static Result run(SparkSession spark, QuillConfig config, RunLayout layout) {
    DatasetStats stats = DatasetStats.read(layout.stats());
    ActionTokenizer tokenizer = TokenizerFiles.read(layout.tokenizer());
    List<Integer> vocab = new ArrayList<>();
    for (int h = 0; h < tokenizer.numHeads(); h++) {
      vocab.add(tokenizer.vocabSize(h));
    }
    int stateDim = stats.state().dim();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    WorkerLanes.use(jsc, config.spark());
    Broadcast<Encoder> enc = jsc.broadcast(new Encoder(stats, tokenizer, vocab));
    List<Row> held = transitions(Datasets.heldout(spark, layout.dataset())).limit(MAX_HELDOUT).collectAsList();
    DataSet heldout = null;
    if (!held.isEmpty()) {
      heldout = enc.value().block(held.iterator()).toMinibatches(held.size(), null).get(0);
    }
    DynamicsConfig dc = config.dynamics();
    TrainConfig tc = new TrainConfig("continuous", dc.hidden(), dc.epochs(), config.train().batchSize(), dc.learningRate(),
        config.train().averagingFrequency(), config.train().approach()).withBatchScope(config.train().batchScope())
        .withPrecision(config.train().precision());
    long seed = Seeds.derive(config.seed(), SALT, 0);
    String approach = SparkPolicyTrainer.resolveApproach(tc.approach(), spark.sparkContext().master());
    Path export = layout.scratch().resolve("dynamics-export");
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, DynamicsModel.conf(stateDim, vocab, dc.hidden(),
        new Adam(dc.learningRate()), seed, DataType.FLOAT), tc, seed, approach, export.toUri().toString());
    JavaRDD<ExampleBlock> blocks = trainer.perWorker(transitions(Datasets.train(spark, layout.dataset())).javaRDD())
        .mapPartitions(new ToBlock(enc, trainer.warmup())).persist(StorageLevel.MEMORY_ONLY());
    long n = blocks.map(ExampleBlock::size).reduce(Integer::sum);
    LOG.info("Training the dynamics model on {} transitions ({} held out), {} epochs", n, held.size(), dc.epochs());
    List<Double> nll = new ArrayList<>();
    try {
      for (int epoch = 1; epoch <= dc.epochs(); epoch++) {
        trainer.fitEpoch(blocks, epoch);
        double h = heldout == null ? Double.NaN : trainer.score(heldout);
        if (!Double.isFinite(trainer.score())) {
          throw new IllegalStateException("dynamics training diverged in epoch " + epoch + "; lower dynamics.learningRate");
        }
        nll.add(h);
        LOG.info("dynamics epoch {}/{}: train NLL {}, held-out NLL {}", epoch, dc.epochs(), String.format("%.4f", trainer.score()),
            String.format("%.4f", h));
      }
    } finally {
      blocks.unpersist();
      enc.destroy();
      AtomicFiles.deleteRecursively(export);
    }
    DynamicsInfo info = new DynamicsInfo(DynamicsInfo.FORMAT, DynamicsInfo.FORMAT_VERSION, stateDim, vocab, dc, seed,
        dc.epochs(), nll.get(nll.size() - 1));
    new DynamicsModel(trainer.network(), stats, info).save(layout.dynamics());
    LOG.info("Dynamics model saved to {}", layout.dynamics());
    return new Result(layout.dynamics(), n, nll);
  }

  /** (state, action, next state) of every frame that has a successor in its episode. */
  private static Dataset<Row> transitions(Dataset<Row> frames) {
    return frames.select(col("`" + Columns.STATE + "`").as("s"), col("`" + Columns.ACTION + "`").as("a"),
            lead(col("`" + Columns.STATE + "`"), 1).over(Window.partitionBy(Columns.EPISODE).orderBy(Columns.FRAME)).as("next"))
        .filter(col("next").isNotNull());
  }

  /** Turns (state, action, next) rows into examples: input state + one-hot tokens, target normalized change. */
  private static final class Encoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private final DatasetStats stats;
    private final ActionTokenizer tokenizer;
    private final List<Integer> vocab;

    Encoder(DatasetStats stats, ActionTokenizer tokenizer, List<Integer> vocab) {
      this.stats = stats;
      this.tokenizer = tokenizer;
      this.vocab = List.copyOf(vocab);
    }

    ExampleBlock block(Iterator<Row> rows) {
      List<double[][]> triples = new ArrayList<>();
      rows.forEachRemaining(r -> triples.add(new double[][] {Datasets.vector(r, 0), Datasets.vector(r, 1), Datasets.vector(r, 2)}));
      int s = stats.state().dim();
      int width = DynamicsModel.inputWidth(s, vocab);
      ExampleBlock b = ExampleBlock.allocate(triples.size(), width, s);
      for (int i = 0; i < triples.size(); i++) {
        double[][] t = triples.get(i);
        DynamicsModel.encodeInput(stats, vocab, t[0], tokenizer.encode(t[0], t[1]), b.states(), i * width);
        DynamicsModel.encodeTarget(stats, t[0], t[2], b.tokens(), i * s);
      }
      return b;
    }
  }

  /** Executor side: one partition's transitions into one example block. */
  private static final class ToBlock implements FlatMapFunction<Iterator<Row>, ExampleBlock> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Encoder> encoder;
    private final WorkerWarmup warmup;

    ToBlock(Broadcast<Encoder> encoder, WorkerWarmup warmup) {
      this.encoder = encoder;
      this.warmup = warmup;
    }

    @Override
    public Iterator<ExampleBlock> call(Iterator<Row> rows) {
      warmup.start();
      return List.of(encoder.value().block(rows)).iterator();
    }
  }
}
