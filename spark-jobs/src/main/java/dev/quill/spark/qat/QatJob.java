package dev.quill.spark.qat;

import static org.apache.spark.sql.functions.col;

import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.loss.DistilledTokenCrossEntropy;
import dev.quill.nn.qat.QatConfig;
import dev.quill.nn.qat.Quantization;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.ActionTokenizer;
import dev.quill.spark.Datasets;
import dev.quill.spark.RunLayout;
import dev.quill.spark.saliency.SaliencyJob;
import dev.quill.spark.train.SparkPolicyTrainer;
import dev.quill.spark.train.WorkerLanes;
import dev.quill.train.EpochStats;
import dev.quill.train.ExampleBlock;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import dev.quill.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill qat}: low-bit students of the trained full-precision policy (Park et al., ICCV 2025):
 * {@code ptq} rounds the teacher's weights to the b-bit grid; {@code qat}, {@code qbc} and {@code sqil} start
 * from the teacher's weights, train with fake-quantized weights (straight-through estimator) by parameter
 * averaging on the training episodes, with the token log-loss plus {@code alpha} times the mean squared
 * logit distance to the teacher, {@code alpha} = 0 (QAT), 1 (QBC) or beta on the top SIS states and 1
 * elsewhere (SQIL = QAT + QRD). Each student is a policy directory under {@code qat/<method>-w<bits>}.
 */
public final class QatJob {
  private static final Logger LOG = LoggerFactory.getLogger(QatJob.class);

  private QatJob() {}

  /**
   * A trained student.
   *
   * @param method ptq, qat, qbc or sqil
   * @param bits weight bit width
   * @param policyDir its policy directory
   * @param epochs per-epoch measurements (empty for ptq)
   */
  public record Student(String method, int bits, Path policyDir, List<EpochStats> epochs) {}

  /** Builds every configured student from {@code layout}'s policy and saliency scores. */
  public static List<Student> run(SparkSession spark, QuillConfig config, RunLayout layout) {
    QatConfig q = config.qat();
    Policy teacher = PolicyFiles.load(layout.policy());
    if (!List.of("factorized", "codebook").contains(teacher.info().head())) {
      throw new IllegalArgumentException("the teacher in " + layout.policy() + " has the " + teacher.info().head()
          + " head; this stage supports the factorized and codebook heads (one logit group per token head)");
    }
    Map<?, ?> meta = Json.read(layout.saliency().resolve("meta.json"), Map.class);
    double threshold = ((Number) meta.get("threshold")).doubleValue();
    List<Student> students = new ArrayList<>();
    INDArray calibration = q.activationBits() > 0 ? calibrationStates(spark, layout, teacher) : null;
    for (String method : q.methods()) {
      Path dir = layout.qat().resolve(method + "-" + label(q));
      if ("ptq".equals(method)) {
        MultiLayerNetwork ptq = Quantization.postTraining(teacher.network(), q.bits(), q.perChannel());
        if (q.activationBits() > 0) {
          MultiLayerNetwork aq = new MultiLayerNetwork(
              Quantization.withActivationQuant(teacher.network().getLayerWiseConfigurations(), q.activationBits()));
          aq.init();
          Quantization.copyParams(ptq, aq);
          Quantization.calibrateSteps(aq, calibration);
          ptq = aq;
        }
        PolicyFiles.save(new Policy(ptq, teacher.tokenizer(), teacher.stats(), teacher.info()), dir);
        students.add(new Student(method, q.bits(), dir, List.of()));
      } else {
        students.add(train(spark, config, layout, teacher, method, threshold, dir, calibration));
      }
      LOG.info("Student {} ({}) written to {}", method, label(q), dir);
    }
    return students;
  }

  private static Student train(SparkSession spark, QuillConfig config, RunLayout layout, Policy teacher, String method,
      double threshold, Path dir, INDArray calibration) {
    QatConfig q = config.qat();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<DatasetStats> stats = jsc.broadcast(teacher.stats());
    Broadcast<ActionTokenizer> tok = jsc.broadcast(teacher.tokenizer());
    Dataset<Row> scores = spark.read().parquet(layout.saliency().resolve("scores").toUri().toString());
    Dataset<Row> rows = Datasets.train(spark, layout.dataset())
        .join(scores, scala.collection.JavaConverters.asScalaBuffer(List.of(Columns.EPISODE, Columns.FRAME)).toSeq())
        .select(col("`" + Columns.STATE + "`"), col("`" + Columns.ACTION + "`"), col(SaliencyJob.SIS), col(SaliencyJob.LOGITS));
    MultiLayerConfiguration conf = studentConf(teacher, q);
    MultiLayerNetwork init = new MultiLayerNetwork(conf);
    init.init();
    Quantization.copyParams(teacher.network(), init);
    if (q.activationBits() > 0) {
      Quantization.calibrateSteps(init, calibration);
    }
    TrainConfig t = config.train();
    // Students multiply in fp32 whatever train.precision says: bf16 would round their fake-quantized weights (scale x
    // integer) before the products, so the student trained would not be the low-bit network that is exported.
    if (!"fp32".equals(t.precision())) {
      LOG.info("Student {} trains with fp32 products (train.precision {} applies to full-precision policies)", method,
          t.precision());
    }
    TrainConfig tc = new TrainConfig(t.head(), t.hidden(), q.epochs(), t.batchSize(), q.learningRate(), t.averagingFrequency(),
        t.approach(), t.decoding(), t.decodingSeed(), t.network(), t.convChannels(), t.init(), t.batchScope(), "fp32");
    String approach = SparkPolicyTrainer.resolveApproach(tc.approach(), spark.sparkContext().master());
    Path export = layout.scratch().resolve("qat-export-" + method);
    long seed = Seeds.derive(config.seed(), Seeds.TRAIN, 1000 + method.hashCode());
    WorkerLanes.use(jsc, config.spark());
    SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf, tc, seed, approach, export.toUri().toString());
    trainer.setNetwork(init);
    JavaRDD<ExampleBlock> blocks = trainer.perWorker(rows.javaRDD()).mapPartitions(new StudentExamples(stats, tok, method,
        threshold, config.saliency().beta(), trainer.warmup())).persist(StorageLevel.MEMORY_ONLY());
    LOG.info("{} {}: training approach {} ({})", method, label(q), trainer.approach(), "fused".equals(trainer.approach())
        ? "fused step on fake-quantized weights and the distilled loss" : "DL4J fit; the fused steps do not cover this student");
    List<EpochStats> epochs = new ArrayList<>();
    try {
      long n = blocks.map(ExampleBlock::size).reduce(Integer::sum);
      for (int epoch = 1; epoch <= q.epochs(); epoch++) {
        long t0 = System.nanoTime();
        trainer.fitEpoch(blocks, epoch);
        EpochStats s = new EpochStats(epoch, trainer.score(), Double.NaN, (System.nanoTime() - t0) / 1e9, n);
        epochs.add(s);
        LOG.info("{} w{} epoch {}/{}: train loss {}", method, q.bits(), epoch, q.epochs(), String.format("%.4f", s.trainLoss()));
      }
    } finally {
      blocks.unpersist();
      stats.destroy();
      tok.destroy();
      AtomicFiles.deleteRecursively(export);
    }
    PolicyFiles.save(new Policy(trainer.network(), teacher.tokenizer(), teacher.stats(), teacher.info()), dir);
    return new Student(method, q.bits(), dir, epochs);
  }

  /** The precision label of a student directory: {@code w4}, {@code w4a4}, {@code w4-pt} (per-tensor scales). */
  public static String label(QatConfig q) {
    return "w" + q.bits() + (q.activationBits() > 0 ? "a" + q.activationBits() : "") + (q.perChannel() ? "" : "-pt");
  }

  /** Up to 2048 normalized training states, the calibration sample of the activation step sizes. */
  static INDArray calibrationStates(SparkSession spark, RunLayout layout, Policy teacher) {
    List<Row> rows = Datasets.train(spark, layout.dataset()).select(col("`" + Columns.STATE + "`")).limit(2048)
        .collectAsList();
    int dim = teacher.stats().state().dim();
    float[] flat = new float[rows.size() * dim];
    for (int i = 0; i < rows.size(); i++) {
      teacher.stats().state().normalize(Datasets.vector(rows.get(i), 0), flat, i * dim);
    }
    return Nd4j.create(flat, new long[] {rows.size(), dim}, 'c');
  }

  /**
   * The teacher's configuration with fake-quantized weights, LSQ activations when configured, the distilled
   * loss with the configured distance and a fresh Adam.
   */
  static MultiLayerConfiguration studentConf(Policy teacher, QatConfig q) {
    MultiLayerConfiguration conf = Quantization.withActivationQuant(Quantization.withFakeQuant(
        teacher.network().getLayerWiseConfigurations(), q.bits(), q.perChannel()), q.activationBits());
    List<NeuralNetConfiguration> layers = conf.getConfs();
    for (NeuralNetConfiguration layer : layers) {
      if (layer.getLayer() instanceof BaseLayer base) {
        base.setIUpdater(new Adam(q.learningRate()));
      }
    }
    BaseOutputLayer out = (BaseOutputLayer) layers.get(layers.size() - 1).getLayer();
    out.setLossFn(new DistilledTokenCrossEntropy(teacher.tokenizer().numHeads(), teacher.tokenizer().vocabSize(0),
        q.distance()));
    return conf;
  }
}
