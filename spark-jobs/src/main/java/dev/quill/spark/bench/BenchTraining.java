package dev.quill.spark.bench;

import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.spark.train.SparkPolicyTrainer;
import dev.quill.train.EpochStats;
import dev.quill.train.ExampleBlock;
import dev.quill.train.LocalTrainer;
import dev.quill.util.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One benchmark measurement: trains Quill's default model (MLP 2x256, one 256-bin softmax per action
 * dimension, Adam 1e-3, batch 256) on a peer's exported examples, either in this JVM or by Spark
 * parameter averaging on {@code local[k]}, and reports what the PyTorch peer reports (examples/s over
 * the training loop, held-out cross-entropy) plus the JVM's peak RSS. Actions are binned on [-1, 1]
 * exactly like the peer ({@code clip(floor((a + 1) / 2 * B), 0, B - 1)}); states are not normalized.
 */
public final class BenchTraining {
  private BenchTraining() {}

  /**
   * Runs one mode ({@code single} or a Spark master such as {@code local[2]}) and returns its record.
   */
  public static Map<String, Object> run(String mode, Path train, Path heldout, int epochs, int bins, int hidden,
      int batch, int averagingFrequency, long seed) {
    ExampleBlock trainBlock = load(train, bins);
    ExampleBlock heldBlock = load(heldout, bins);
    DataSet held = heldBlock.toMinibatches(heldBlock.size(), null).get(0);
    TrainConfig cfg = TrainConfig.mlp("factorized", List.of(hidden, hidden), epochs, batch, 1e-3, averagingFrequency, "auto");
    MultiLayerConfiguration conf = PolicyNetworks.factorized(trainBlock.stateDim(), trainBlock.numHeads(), bins, cfg, seed);
    List<EpochStats> stats;
    if ("single".equals(mode)) {
      MultiLayerNetwork net = new MultiLayerNetwork(conf);
      net.init();
      stats = LocalTrainer.fit(net, trainBlock, batch, epochs, seed, held, s -> System.out.println(line(mode, s)));
    } else {
      stats = spark(mode, conf, cfg, trainBlock, held, seed);
    }
    double seconds = stats.stream().mapToDouble(EpochStats::seconds).sum();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("examples_per_s", trainBlock.size() * (double) epochs / seconds);
    metrics.put("examples_per_s_per_epoch", stats.stream().map(EpochStats::examplesPerSecond).toList());
    metrics.put("train_s", seconds);
    metrics.put("heldout_loss", stats.get(stats.size() - 1).heldoutLoss());
    metrics.put("epoch_heldout_losses", stats.stream().map(EpochStats::heldoutLoss).toList());
    metrics.put("peak_rss_mb", peakRssMb());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("mode", mode);
    params.put("n", trainBlock.size());
    params.put("state_dim", trainBlock.stateDim());
    params.put("action_dim", trainBlock.numHeads());
    params.put("bins", bins);
    params.put("hidden", hidden);
    params.put("epochs", epochs);
    params.put("batch_size", batch);
    params.put("averaging_frequency", averagingFrequency);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("tool", "bc_quill");
    record.put("params", params);
    record.put("metrics", metrics);
    return record;
  }

  private static List<EpochStats> spark(String master, MultiLayerConfiguration conf, TrainConfig cfg, ExampleBlock block,
      DataSet held, long seed) {
    SparkConf sc = new SparkConf().setMaster(master).setAppName("quill-bench")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.executorEnv.OMP_NUM_THREADS", "1");
    Path export;
    try {
      export = Files.createTempDirectory("quill-bench-export");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (JavaSparkContext jsc = new JavaSparkContext(sc)) {
      int workers = jsc.defaultParallelism();
      JavaRDD<ExampleBlock> blocks = jsc.parallelize(split(block, workers), workers).cache();
      blocks.count();
      String approach = SparkPolicyTrainer.resolveApproach(cfg.approach(), master);
      SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf, cfg, seed, approach, export.toUri().toString());
      List<EpochStats> stats = new ArrayList<>();
      for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
        long t0 = System.nanoTime();
        trainer.fitEpoch(blocks, epoch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        EpochStats s = new EpochStats(epoch, trainer.score(), trainer.network().score(held, false), seconds, block.size());
        System.out.println(line(master, s));
        stats.add(s);
      }
      return stats;
    } finally {
      dev.quill.util.AtomicFiles.deleteRecursively(export);
    }
  }

  /** Splits a block into {@code k} contiguous blocks of nearly equal size. */
  static List<ExampleBlock> split(ExampleBlock block, int k) {
    List<ExampleBlock> parts = new ArrayList<>();
    int n = block.size();
    for (int p = 0; p < k; p++) {
      int from = (int) ((long) n * p / k);
      int to = (int) ((long) n * (p + 1) / k);
      ExampleBlock part = ExampleBlock.allocate(to - from, block.stateDim(), block.numHeads());
      System.arraycopy(block.states(), from * block.stateDim(), part.states(), 0, (to - from) * block.stateDim());
      System.arraycopy(block.tokens(), from * block.numHeads(), part.tokens(), 0, (to - from) * block.numHeads());
      parts.add(part);
    }
    return parts;
  }

  /** Loads {@code observations} and {@code actions} from an npz and bins the actions like the peer. */
  static ExampleBlock load(Path npz, int bins) {
    Npz.Matrix obs = Npz.read(npz, "observations");
    Npz.Matrix act = Npz.read(npz, "actions");
    double[] low = new double[act.cols()];
    double[] high = new double[act.cols()];
    java.util.Arrays.fill(low, -1);
    java.util.Arrays.fill(high, 1);
    UniformBinTokenizer tok = new UniformBinTokenizer(bins, low, high);
    ExampleBlock block = new ExampleBlock(obs.rows(), obs.cols(), act.cols(), obs.data(), new float[act.rows() * act.cols()]);
    for (int i = 0; i < act.rows(); i++) {
      for (int j = 0; j < act.cols(); j++) {
        block.tokens()[i * act.cols() + j] = tok.encodeDim(j, act.data()[i * act.cols() + j]);
      }
    }
    return block;
  }

  private static String line(String mode, EpochStats s) {
    return String.format("[%s] epoch %d: held-out loss %.4f, %.0f examples/s", mode, s.epoch(), s.heldoutLoss(),
        s.examplesPerSecond());
  }

  /** Peak resident set size of this JVM (VmHWM), in MiB, or -1 where /proc is unavailable. */
  static double peakRssMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
