package dev.quill.export;

import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.policy.PolicyInfo;
import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.runtime.ArtifactFormat;
import dev.quill.runtime.DenseLayer;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.PolicyRunner;
import dev.quill.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@code quill bench-inference}: single-state latency (median, p99) and batch-256 throughput of one policy
 * through DL4J ({@link Policy#act}: normalization, {@code output()}, argmax, decode), the runtime with fp32,
 * int8 and int4 weights ({@link PolicyRunner#act}), and PyTorch eager ({@code infer_torch.py}, one thread),
 * with the size of each artifact. Everything runs on one thread in this process except the PyTorch peer.
 */
public final class InferenceBench {
  /**
   * @param policy policy directory, or null for a randomly initialized policy of the demo's shape
   *     (18 → 256 → 256 → 3 × 256)
   * @param iterations timed single-state calls per row
   * @param python interpreter with torch and numpy, or null to skip the PyTorch row
   * @param workDir folder for the exported artifacts and the peer's files
   */
  public record Options(Path policy, int iterations, String python, Path workDir) {}

  /** One row of the table (NaN where not measured). */
  public record Row(String name, double medianUs, double p99Us, double batchStatesPerS, long bytes) {}

  private InferenceBench() {}

  /** Runs every row and returns them. */
  public static List<Row> run(Options o) throws IOException {
    Files.createDirectories(o.workDir());
    Path dir = policyDir(o);
    Policy policy = PolicyFiles.load(dir);
    double[][] states = states(policy, 1024);
    List<Row> rows = new ArrayList<>();
    long zip = Files.size(dir.resolve(PolicyFiles.NETWORK));
    double[] single = latency(o.iterations(), i -> policy.act(states[i & 1023]));
    double[][] batch = Arrays.copyOf(states, 256);
    double batchRate = throughput(o.iterations(), () -> policy.act(batch));
    rows.add(new Row("DL4J fp32 (Policy.act: output() on [1,S] / [256,S])", single[0], single[1], batchRate, zip));
    for (String w : List.of("fp32", "int8", "int4")) {
      PolicyModel model = PolicyExporter.export(policy, new ExportOptions(w, true));
      Path file = o.workDir().resolve("policy-" + w + ".qpol");
      ArtifactFormat.write(model, file);
      PolicyRunner r = model.newRunner();
      double[] action = new double[model.actionDim()];
      double[] lat = latency(o.iterations(), i -> r.act(states[i & 1023], action));
      double rate = throughput(o.iterations(), () -> {
        for (int i = 0; i < 256; i++) {
          r.act(batch[i], action);
        }
      });
      rows.add(new Row("runtime " + w + (DenseLayer.VECTORIZED ? " (Vector API)" : " (scalar loops)"), lat[0], lat[1], rate,
          Files.size(file)));
    }
    if (o.python() != null) {
      rows.add(torchRow(policy, states, o));
    }
    return rows;
  }

  /** The rows as a Markdown table with ratios to DL4J. */
  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| path | single median (µs) | single p99 (µs) | batch-256 (states/s) | size (bytes) | median speed-up vs DL4J |\n");
    sb.append("|---|---|---|---|---|---|\n");
    double base = rows.get(0).medianUs();
    for (Row r : rows) {
      sb.append(String.format("| %s | %.1f | %.1f | %,.0f | %s | %.2f |%n", r.name(), r.medianUs(), r.p99Us(), r.batchStatesPerS(),
          r.bytes() < 0 ? "-" : String.format("%,d", r.bytes()), base / r.medianUs()));
    }
    return sb.toString();
  }

  /** Median and p99 latency (µs) of {@code n} timed calls after a warm-up; the call gets its index. */
  public static double[] latency(int n, IntConsumer call) {
    for (int i = 0; i < Math.max(2000, n / 2); i++) {
      call.accept(i);
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      call.accept(i);
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    return new double[] {t[n / 2] / 1e3, t[Math.min(n - 1, (int) (n * 0.99))] / 1e3};
  }

  /** Throughput (states/s) of repeated batch-256 calls. */
  public static double throughput(int n, Runnable batch) {
    int reps = Math.max(10, n / 256);
    for (int i = 0; i < 10; i++) {
      batch.run();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      batch.run();
    }
    return reps * 256 / ((System.nanoTime() - t0) / 1e9);
  }

  /** {@code n} raw states drawn from the policy's state statistics (normal, seed 5). */
  public static double[][] states(Policy policy, int n) {
    FeatureStats s = policy.stats().state();
    SplittableRandom rng = new SplittableRandom(5);
    double[][] out = new double[n][s.dim()];
    for (double[] x : out) {
      for (int j = 0; j < x.length; j++) {
        x[j] = s.mean()[j] + s.std()[j] * rng.nextGaussian();
      }
    }
    return out;
  }

  private static Row torchRow(Policy policy, double[][] states, Options o) throws IOException {
    PolicyModel fp = PolicyExporter.export(policy, new ExportOptions("fp32", true));
    List<DenseLayer> layers = new ArrayList<>(fp.trunk());
    List<Map<String, Object>> shapes = new ArrayList<>();
    int floats = 0;
    DenseLayer out = ((dev.quill.runtime.FactorizedHead) fp.head()).output();
    layers.add(out);
    for (DenseLayer l : layers) {
      floats += l.nIn() * l.nOut() + l.nOut();
      shapes.add(Map.of("nIn", l.nIn(), "nOut", l.nOut(), "relu", l != out));
    }
    ByteBuffer w = ByteBuffer.allocate(floats * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (DenseLayer l : layers) {
      for (int i = 0; i < l.nIn(); i++) {
        for (int k = 0; k < l.nOut(); k++) {
          w.putFloat(l.weight(i, k));
        }
      }
      float[] b = l.bias();
      for (float v : b) {
        w.putFloat(v);
      }
    }
    ByteBuffer s = ByteBuffer.allocate(states.length * states[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double[] x : states) {
      for (double v : x) {
        s.putFloat((float) v);
      }
    }
    Path weights = o.workDir().resolve("torch-weights.f32");
    Path stateFile = o.workDir().resolve("torch-states.f32");
    Files.write(weights, w.array());
    Files.write(stateFile, s.array());
    double[] std = policy.stats().state().std().clone();
    for (int j = 0; j < std.length; j++) {
      std[j] = std[j] > 1e-8 ? std[j] : 1.0;
    }
    int[] vocab = new int[fp.head().numTokens()];
    for (int j = 0; j < vocab.length; j++) {
      vocab[j] = fp.head().vocabSize(j);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("weights", weights.toAbsolutePath().toString());
    spec.put("states", stateFile.toAbsolutePath().toString());
    spec.put("stateDim", states[0].length);
    spec.put("mean", policy.stats().state().mean());
    spec.put("std", std);
    spec.put("layers", shapes);
    spec.put("vocab", vocab);
    spec.put("warmup", Math.max(2000, o.iterations() / 2));
    spec.put("iterations", o.iterations());
    Path specFile = o.workDir().resolve("torch-spec.json");
    Files.writeString(specFile, Json.write(spec));
    Path script = o.workDir().resolve("infer_torch.py");
    try (InputStream in = InferenceBench.class.getResourceAsStream("infer_torch.py")) {
      Files.write(script, in.readAllBytes());
    }
    ProcessBuilder pb = new ProcessBuilder(o.python(), script.toString(), specFile.toString()).redirectErrorStream(true);
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    p.getInputStream().transferTo(text);
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException("PyTorch peer failed (needs Debian python3-torch python3-numpy): " + text);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    String[] lines = text.toString().trim().split("\n");
    Map<?, ?> r = Json.MAPPER.readValue(lines[lines.length - 1], Map.class);
    return new Row("PyTorch " + r.get("torch") + " eager (1 thread)", ((Number) r.get("single_median_us")).doubleValue(),
        ((Number) r.get("single_p99_us")).doubleValue(), ((Number) r.get("batch_states_per_s")).doubleValue(), -1);
  }

  /** The benchmarked policy directory: the option's, or a synthetic one written under the work folder. */
  public static Path policyDir(Options o) {
    Path synthetic = o.workDir().resolve("policy");
    return o.policy() != null ? o.policy() : Files.isDirectory(synthetic) ? synthetic : syntheticPolicy(synthetic);
  }

  private static Path syntheticPolicy(Path dir) {
    int sd = 18;
    TrainConfig tc = new TrainConfig("factorized", List.of(256, 256), 1, 64, 0.001, 5, "auto");
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.factorized(sd, 3, 256, tc.hidden(), new Adam(0.001), 3, DataType.FLOAT));
    net.init();
    double[] zero = new double[sd];
    double[] one = new double[sd];
    Arrays.fill(one, 1.0);
    FeatureStats st = new FeatureStats(zero, one, zero, one, zero, one, 1);
    FeatureStats ac = new FeatureStats(new double[3], new double[] {1, 1, 1}, new double[] {-1, -1, -1}, new double[] {1, 1, 1},
        new double[] {-1, -1, -1}, new double[] {1, 1, 1}, 1);
    List<String> names = new ArrayList<>();
    for (int j = 0; j < sd; j++) {
      names.add("s" + j);
    }
    PolicyInfo info = new PolicyInfo(PolicyInfo.FORMAT, 1, "factorized", "synthetic", sd, 3, names, List.of("a0", "a1", "a2"), tc, 3, 0,
        Double.NaN);
    PolicyFiles.save(new Policy(net, new UniformBinTokenizer(256, ac.min(), ac.max()), new DatasetStats(st, ac), info), dir);
    return dir;
  }
}
