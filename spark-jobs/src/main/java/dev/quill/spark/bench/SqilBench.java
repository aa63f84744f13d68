package dev.quill.spark.bench;

import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.policy.PolicyInfo;
import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.saliency.MeanOcclusion;
import dev.quill.saliency.SaliencyScorer;
import dev.quill.saliency.SisDistance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * {@code quill bench-sqil}: (1) SIS scoring throughput of the saliency job's executor code (broadcast teacher,
 * {@link SaliencyScorer} on chunks of 64 states, each with its K = 17 mean-occlusion perturbations, one teacher
 * call per chunk) in Spark, next to the limit: the same teacher's plain batched forward pass on the same
 * batches (64 x 18 rows per call) in the same Spark job shape; target SIS >= 0.5 of the limit. (2) Training
 * throughput in one JVM ({@link SqilTrainingBench}) of FP policies and QAT students, each on the path the
 * trainers take (a fused step where one supports the network) and, for comparison, DL4J's {@code fit}.
 * Model: Quill's bench model (17-dim state, 6 heads x 256 bins, MLP 2 x 256).
 */
public final class SqilBench {
  static final int STATE_DIM = 17;
  static final int HEADS = 6;
  static final int BINS = 256;
  private static final int CHUNK = 64;

  private SqilBench() {}

  /**
   * Sizes.
   *
   * @param states states scored per timed pass
   * @param trainExamples examples per training epoch
   * @param epochs timed training epochs (after 8 warm-up minibatches)
   * @param master Spark master of the SIS measurement
   * @param imageExamples examples per epoch of the image (conv) training rows, batch 64
   */
  public record Options(int states, int trainExamples, int epochs, String master, int imageExamples) {}

  /** One measured row: what, throughput and its unit, ratio to the row's reference. */
  public record Row(String what, double perSecond, String unit, double ratio) {}

  /** The synthetic teacher: random weights of the bench model, identity normalization, uniform bins. */
  static Policy teacher() {
    TrainConfig tc = new TrainConfig("factorized", List.of(256, 256), 1, 256, 1e-3, 5, "auto");
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.factorized(STATE_DIM, HEADS, BINS, tc, 7));
    net.init();
    double[] zs = new double[STATE_DIM];
    double[] os = new double[STATE_DIM];
    Arrays.fill(os, 1);
    double[] za = new double[HEADS];
    double[] lo = new double[HEADS];
    double[] hi = new double[HEADS];
    Arrays.fill(lo, -1);
    Arrays.fill(hi, 1);
    double[] oa = hi.clone();
    List<String> sn = IntStream.range(0, STATE_DIM).mapToObj(i -> "s" + i).toList();
    List<String> an = IntStream.range(0, HEADS).mapToObj(i -> "a" + i).toList();
    PolicyInfo info = new PolicyInfo(PolicyInfo.FORMAT, PolicyInfo.FORMAT_VERSION, "factorized", "bench", STATE_DIM, HEADS,
        sn, an, tc, 7, 1, Double.NaN);
    return new Policy(net, new UniformBinTokenizer(BINS, lo, hi), new DatasetStats(new FeatureStats(zs, os, zs, os, zs, os, 1),
        new FeatureStats(za, oa, lo, hi, lo, hi, 1)), info);
  }

  /** Runs both measurements and returns the rows (printable with {@link #render}). */
  public static List<Row> run(Options o) {
    List<Row> rows = new ArrayList<>(sis(o));
    rows.addAll(SqilTrainingBench.run(o));
    return rows;
  }

  private static List<Row> sis(Options o) {
    Policy teacher = teacher();
    try (SparkSession spark = SparkSession.builder().master(o.master()).appName("quill-bench-sqil")
        .config("spark.ui.enabled", "false").config("spark.executorEnv.OMP_NUM_THREADS", "1").getOrCreate()) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<PolicyFiles.Bundle> b = jsc.broadcast(PolicyFiles.toBundle(teacher));
      int parts = jsc.defaultParallelism();
      JavaRDD<Integer> seeds = jsc.parallelize(IntStream.range(0, parts).boxed().toList(), parts);
      int perPart = o.states() / parts;
      timed(seeds, b, Math.min(perPart, 256), true);
      timed(seeds, b, Math.min(perPart, 256), false);
      double sis = timed(seeds, b, perPart, true);
      double limit = timed(seeds, b, perPart, false);
      return List.of(new Row("teacher batched forward, same batches (limit), " + o.master(), limit, "states/s", 1.0),
          new Row("SIS scoring (17 mean occlusions, logit distance), " + o.master(), sis, "states/s", sis / limit));
    }
  }

  private static double timed(JavaRDD<Integer> seeds, Broadcast<PolicyFiles.Bundle> b, int perPart, boolean sis) {
    long t0 = System.nanoTime();
    long n = seeds.mapPartitions((Iterator<Integer> it) -> {
      Policy p = PolicyFiles.fromBundle(b.value(), "bench teacher");
      Random r = new Random(it.next());
      SaliencyScorer scorer = new SaliencyScorer(p::logits, MeanOcclusion.perFeature(new double[STATE_DIM]),
          SisDistance.of("logitMse", p.tokenizer()));
      long done = 0;
      while (done < perPart) {
        int m = (int) Math.min(CHUNK, perPart - done);
        double[][] states = new double[m][STATE_DIM];
        for (double[] s : states) {
          for (int j = 0; j < STATE_DIM; j++) {
            s[j] = r.nextGaussian();
          }
        }
        if (sis) {
          scorer.scoreWithLogits(states);
        } else {
          double[][] batch = new double[m * (STATE_DIM + 1)][];
          for (int i = 0; i < batch.length; i++) {
            batch[i] = states[i / (STATE_DIM + 1)].clone();
          }
          p.logits(batch);
        }
        done += m;
      }
      return List.of(done).iterator();
    }).reduce(Long::sum);
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /** The rows as a Markdown table. */
  public static String render(List<Row> rows) {
    StringBuilder sb = new StringBuilder("| measurement | throughput | ratio to reference |\n|---|---|---|\n");
    for (Row r : rows) {
      sb.append(String.format("| %s | %,.0f %s | %.2f |%n", r.what(), r.perSecond(), r.unit(), r.ratio()));
    }
    return sb.toString();
  }
}
