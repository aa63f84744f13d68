package dev.quill.spark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quill.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quill bench}: in one invocation, exports the peer's synthetic teacher task once, trains the
 * PyTorch peer ({@code bc_torch.py}) and Quill (single JVM, Spark {@code local[1]}, {@code local[2]}) on
 * exactly those examples, each in its own process (so peak RSS is per row), and prints one table with
 * ratios to the peer and to the practical ceiling of this model on the reference machine.
 */
public final class BenchRunner {
  /** Practical ceiling of the default model on the 2-core reference machine (shared peers README). */
  public static final double CEILING_EXAMPLES_PER_S = 55_000;
  /** Below this the peer is misconfigured (reference BLAS, spinning OpenMP), not measured. */
  private static final double PEER_SANE_EXAMPLES_PER_S = 10_000;

  private BenchRunner() {}

  /**
   * Options of a benchmark run.
   *
   * @param peers folder holding {@code peerdata.py} and {@code bc_torch.py}
   * @param out folder for data and JSON records
   * @param n training examples
   * @param epochs epochs
   * @param modes Quill modes to run ({@code single}, {@code local[1]}, ...)
   * @param python Python interpreter for the peer
   * @param averagingFrequency minibatches per worker between parameter averages in the Spark rows
   */
  public record Options(Path peers, Path out, int n, int epochs, List<String> modes, String python,
      int averagingFrequency) {}

  /** Runs the benchmark and returns the rendered table. */
  public static String run(Options o) {
    try {
      Files.createDirectories(o.out());
      Path train = o.out().resolve("synth_train_" + o.n() + ".npz");
      Path held = o.out().resolve("synth_heldout.npz");
      if (!Files.exists(train)) {
        exec(List.of(o.python(), o.peers().resolve("peerdata.py").toString(), "--n", "" + o.n(), "--out", train.toString()), Map.of());
      }
      if (!Files.exists(held)) {
        exec(List.of(o.python(), o.peers().resolve("peerdata.py").toString(), "--n", "20000", "--split", "heldout",
            "--out", held.toString()), Map.of());
      }
      List<Row> rows = new ArrayList<>();
      Path peerJson = o.out().resolve("bc_torch.json");
      int code = exec(List.of("/usr/bin/time", "-f", "peak_rss_kb=%M", o.python(), o.peers().resolve("bc_torch.py").toString(),
          "--data", train.toString(), "--heldout-data", held.toString(), "--epochs", "" + o.epochs(), "--json",
          peerJson.toString()), Map.of("OMP_WAIT_POLICY", "PASSIVE"));
      if (code == 0) {
        JsonNode m = Json.MAPPER.readTree(peerJson.toFile()).path("metrics");
        if (m.path("examples_per_s").asDouble() < PEER_SANE_EXAMPLES_PER_S) {
          System.out.println("WARNING: the PyTorch peer ran at " + Math.round(m.path("examples_per_s").asDouble())
              + " ex/s, far below its documented 29-39k on the reference machine; check that libblas.so.3 is OpenBLAS "
              + "(apt-get install libopenblas0-pthread), not Debian's reference BLAS, before trusting the ratios");
        }
        rows.add(new Row("peer", "PyTorch peer (bc_torch.py)", m.path("examples_per_s").asDouble(), m.path("heldout_loss").asDouble(),
            lastRssMb));
      }
      for (String mode : o.modes()) {
        Path json = o.out().resolve("bc_quill_" + mode.replaceAll("[^a-z0-9]", "") + ".json");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if ("fused-1t".equals(mode)) {
          // The fused step as it was before the Vector API softmax, so that the next row measures that lever alone.
          cmd.add("-Dquill.vectorSoftmax=false");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.quill.cli.Quill", "bench-worker",
            "--mode", mode, "--averaging-frequency", "" + o.averagingFrequency(), "--train", train.toString(), "--heldout", held.toString(), "--epochs", "" + o.epochs(),
            "--json", json.toString()));
        // The "single" row gets one native thread per core (Quill's choice, NativeThreads); every other
        // Quill row one native thread per worker or lane.
        String threads = "single".equals(mode) ? Integer.toString(dev.quill.train.NativeThreads.forSingleJvm()) : "1";
        if (exec(cmd, Map.of("OMP_NUM_THREADS", threads, "OMP_WAIT_POLICY", "PASSIVE")) == 0) {
          JsonNode m = Json.MAPPER.readTree(json.toFile()).path("metrics");
          rows.add(new Row(mode, rowName(mode), m.path("examples_per_s").asDouble(),
              m.path("heldout_loss").asDouble(), m.path("peak_rss_mb").asDouble()));
        }
      }
      String table = render(rows, o);
      Files.writeString(o.out().resolve("summary.md"), table);
      return table;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double lastRssMb = -1;

  /** The table row of a Quill mode, named for the change it measures. */
  static String rowName(String mode) {
    return switch (mode) {
      case "dl4j" -> "Quill single JVM, DL4J fit, 1 thread (before)";
      case "fused-1t" -> "Quill single JVM + fused step (FusedPolicyStep), ND4J softmax, 1 thread";
      case "fused-1t-vec" -> "Quill single JVM + fused step + Vector API softmax/log-loss, 1 thread";
      case "single" -> "Quill single JVM + fused step + Vector API softmax + BLAS threads chosen by Quill (1 per core)";
      case "lanes" -> "Quill single JVM + fused step + Vector API softmax + data-parallel lanes (1 per core, 1 BLAS thread each)";
      default -> mode.endsWith(":export") ? "Quill Spark " + mode.substring(0, mode.indexOf(':'))
          + ", DL4J training master, export (before)" : "Quill Spark " + mode
          + " + fused parameter averaging + Vector API softmax, 1 thread per worker";
    };
  }

  private static int exec(List<String> cmd, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // Each process gets its own documented threading: the peer its defaults (2 threads, passive
    // waiting), Quill's JVMs OMP_NUM_THREADS=1; nothing is inherited from the launching shell.
    pb.environment().remove("OMP_NUM_THREADS");
    pb.environment().putAll(env);
    Process p = pb.start();
    StringBuilder out = new StringBuilder();
    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("peak_rss_kb=")) {
          lastRssMb = Long.parseLong(line.substring("peak_rss_kb=".length()).trim()) / 1024.0;
        } else if (!line.contains(" WARN ") && !line.contains(" INFO ")) {
          System.out.println("  | " + line);
        }
        out.append(line).append('\n');
      }
    }
    try {
      int code = p.waitFor();
      if (code != 0) {
        System.out.println("  | (exit code " + code + " from " + String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + ")");
      }
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String render(List<Row> rows, Options o) {
    double peer = rows.stream().filter(r -> r.name().startsWith("PyTorch")).mapToDouble(Row::examplesPerSecond).findFirst()
        .orElse(Double.NaN);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%nDefault model: state 17, 6 action dims x 256 bins, MLP 2x256, batch 256, Adam 1e-3; N=%d, %d epochs;"
        + " every Quill row train.init=%s%n%n", o.n(), o.epochs(), BenchTraining.INIT));
    sb.append("| run | ex/s | ratio to peer | ratio to ceiling | final held-out loss | peak RSS (MiB) |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(String.format("| %s | %,.0f | %.2f | %.2f | %.4f | %.0f |%n", r.name(), r.examplesPerSecond(),
          r.examplesPerSecond() / peer, r.examplesPerSecond() / CEILING_EXAMPLES_PER_S, r.heldoutLoss(), r.peakRssMb()));
    }
    sb.append(String.format("| ceiling (GEMMs + Adam, shared/peers/README.md) | %,.0f | %.2f | 1.00 | | |%n",
        CEILING_EXAMPLES_PER_S, CEILING_EXAMPLES_PER_S / peer));
    Map<String, Double> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.put(r.mode(), r.examplesPerSecond()));
    Double l1 = byName.get("local[1]");
    Double l2 = byName.get("local[2]");
    if (l1 != null && l2 != null) {
      sb.append(String.format("%nlocal[2] / local[1] throughput: %.2f%n", l2 / l1));
    }
    // The fastest single-JVM row (every Quill row that is neither the peer nor a Spark master).
    Row best = null;
    for (Row r : rows) {
      boolean singleJvm = !"peer".equals(r.mode()) && !r.mode().contains("[") && !r.mode().contains("://");
      if (singleJvm && (best == null || r.examplesPerSecond() > best.examplesPerSecond())) {
        best = r;
      }
    }
    if (best != null && l2 != null) {
      sb.append(String.format("local[2] / best single JVM (%s): %.2f%n", best.mode(), l2 / best.examplesPerSecond()));
    }
    return sb.toString();
  }

  private record Row(String mode, String name, double examplesPerSecond, double heldoutLoss, double peakRssMb) {}
}
