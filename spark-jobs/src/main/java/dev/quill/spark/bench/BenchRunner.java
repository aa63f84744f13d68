package dev.quill.spark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quill.policy.AveragingFrequency;
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
import java.util.Optional;
import dev.quill.train.BlasKernels;
import dev.quill.train.StepCeiling;

/**
 * {@code quill bench}: in one invocation, exports the peer's synthetic teacher task once, trains the
 * PyTorch peer ({@code bc_torch.py}) and Quill (single JVM, Spark {@code local[1]}, {@code local[2]}) on
 * exactly those examples, each in its own process (so peak RSS is per row), and prints one table with
 * ratios to the peer and to the practical ceiling of this model on this machine ({@link StepCeiling}, measured in
 * the same invocation).
 */
public final class BenchRunner {
  /**
   * Practical ceiling of the default model on the 2-core Zen 4 reference machine of the shared peers README (AVX2
   * kernels); printed for reference, the table's ceiling is measured in the invocation ({@link StepCeiling}).
   */
  public static final double REFERENCE_CEILING_EXAMPLES_PER_S = 55_000;
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
   * @param averagingFrequency minibatches per worker between parameter averages in the Spark rows with several workers
   *     ({@link AveragingFrequency#AUTO} for {@code auto})
   * @param repeat rounds of runs: each round runs the peers and every mode once, in the same order, so that the runs
   *     of one round share the host's conditions; the table then shows medians and ranges, and the ratios between
   *     rows are the medians of the rounds' paired ratios (at least 1)
   */
  public record Options(Path peers, Path out, int n, int epochs, List<String> modes, String python,
      int averagingFrequency, int repeat) {
    /** Checks {@code repeat}. */
    public Options {
      if (repeat < 1 || repeat > 50) {
        throw new IllegalArgumentException("--repeat must be in [1, 50], was " + repeat);
      }
    }
  }

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
      Optional<String> chosen = BlasKernels.chooseForThisCpu();
      Ceiling ceiling = measureCeiling(o, train, held, chosen, BenchTraining.CEILING);
      double bf16Ceiling = Double.NaN;
      if (o.modes().stream().anyMatch(BenchTraining::bf16)) {
        if (dev.quill.train.MatmulPrecision.bf16Native()) {
          bf16Ceiling = measureCeiling(o, train, held, chosen, BenchTraining.CEILING + BenchTraining.BF16_SUFFIX)
              .examplesPerSecond();
        } else {
          System.out.println("WARNING: this CPU has no AVX-512 BF16 or AMX: the " + BenchTraining.BF16_SUFFIX
              + " rows will fail");
        }
      }
      for (int round = 1; round <= o.repeat(); round++) {
        if (o.repeat() > 1) {
          System.out.printf("--- round %d of %d ---%n", round, o.repeat());
        }
        runRound(o, train, held, chosen, round, rows);
      }
      String table = render(rows, o, ceiling.examplesPerSecond(), bf16Ceiling, chosen) + ceiling.together();
      Files.writeString(o.out().resolve("summary.md"), table);
      return table;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Who set {@code OPENBLAS_CORETYPE} for the peer's first row: {@code bin/quill} exports {@code QUILL_BLAS_KERNELS_BY=launcher}
   * when it chose the kernels itself because the machine set none.
   */
  static String kernelsSetBy(String by) {
    return "launcher".equals(by) ? "as Quill's launcher chose them for this CPU (the machine sets none)"
        : "as this machine sets them";
  }

  /** One round: the peers, then every Quill mode, each in its own process; their rows are added to {@code rows}. */
  private static void runRound(Options o, Path train, Path held, Optional<String> chosen, int round, List<Row> rows)
      throws IOException {
    // The peer as this machine runs it (OpenBLAS kernels as set in its environment, or OpenBLAS's own detection),
    // and, where the environment sets OPENBLAS_CORETYPE, once more with OpenBLAS's own detection (the setting and
    // OPENBLAS_L2_SIZE removed in that process alone): Debian's current OpenBLAS detects new CPUs better than the
    // older build inside ND4J, so that row is the peer at its best here.
    String machineKernels = System.getenv(BlasKernels.ENV);
    runPeer(o, train, held, "peer", machineKernels == null || machineKernels.isBlank()
        ? "PyTorch peer (bc_torch.py), OpenBLAS's own kernel detection (" + peerKernels(o, Map.of()) + ")"
        : "PyTorch peer (bc_torch.py), OpenBLAS kernels " + kernelsSetBy(System.getenv("QUILL_BLAS_KERNELS_BY")) + " ("
            + BlasKernels.ENV + "=" + machineKernels + ")",
        Map.of(), round, rows);
    if (machineKernels != null && !machineKernels.isBlank()) {
      Map<String, String> own = new LinkedHashMap<>();
      own.put(BlasKernels.ENV, null);
      own.put("OPENBLAS_L2_SIZE", null);
      runPeer(o, train, held, "peer-own", "PyTorch peer, OpenBLAS's own kernel detection (" + BlasKernels.ENV
          + " and OPENBLAS_L2_SIZE unset: " + peerKernels(o, own) + ")", own, round, rows);
    }
    for (String mode : o.modes()) {
      Path json = o.out().resolve("bc_quill_" + mode.replaceAll("[^a-z0-9]", "") + suffix(o, round) + ".json");
      List<String> cmd = workerCommand(leverFlags(mode), mode, o.averagingFrequency(), train, held, o.epochs(), json);
      // The "single" row gets one native thread per core (Quill's choice, NativeThreads); every other
      // Quill row one native thread per worker or lane.
      String threads = "single".equals(BenchTraining.withoutBf16(mode)) ? Integer.toString(dev.quill.train.NativeThreads.forSingleJvm()) : "1";
      Map<String, String> env = new LinkedHashMap<>(Map.of("OMP_NUM_THREADS", threads, "OMP_WAIT_POLICY", "PASSIVE"));
      // The rows before fused-1t-cpu keep the machine's kernels (the history of the levers); from that row on, every
      // Quill row runs with the OpenBLAS kernels Quill chooses for this CPU, as bin/quill with QUILL_BLAS_KERNELS=cpu.
      if (!HISTORY_MODES.contains(mode) && chosen.isPresent()) {
        env.put(BlasKernels.ENV, chosen.get());
      }
      env.putAll(executorJvmEnv(mode, System.getenv(), o.out()));
      if (exec(cmd, env) == 0) {
        JsonNode m = Json.MAPPER.readTree(json.toFile()).path("metrics");
        rows.add(new Row(mode, rowName(mode, chosen), m.path("examples_per_s").asDouble(), lastEpoch(m),
            m.path("heldout_loss").asDouble(), m.path("peak_rss_mb").asDouble(), round));
      }
    }
  }

  /** Suffix of a round's record files when rounds repeat ({@code _r2}), else empty. */
  private static String suffix(Options o, int round) {
    return o.repeat() > 1 ? "_r" + round : "";
  }

  private static double lastRssMb = -1;

  /**
   * The practical ceiling measured on this machine, in its own JVM with Quill's kernels ({@link StepCeiling}), or
   * the reference machine's if that fails.
   */
  private static Ceiling measureCeiling(Options o, Path train, Path held, Optional<String> chosen, String mode)
      throws IOException {
    Path json = o.out().resolve("bc_quill_" + mode.replaceAll("[^a-z0-9]", "") + ".json");
    List<String> cmd = workerCommand(List.of(), mode, o.averagingFrequency(), train, held, 1, json);
    Map<String, String> env = new LinkedHashMap<>(Map.of("OMP_NUM_THREADS", "1", "OMP_WAIT_POLICY", "PASSIVE"));
    chosen.ifPresent(k -> env.put(BlasKernels.ENV, k));
    if (exec(cmd, env) == 0) {
      JsonNode m = Json.MAPPER.readTree(json.toFile()).path("metrics");
      return new Ceiling(m.path("examples_per_s").asDouble(), together(m.path("cores").asInt(), m.path("gemm_ms").asDouble(),
          m.path("gemm_together_ms").asDouble(), m.path("gemm_together_lane_rows").asInt(),
          m.path("gemm_together_lane_ms").asDouble()));
    }
    System.out.println("WARNING: measuring the ceiling failed; the table uses the reference machine's "
        + REFERENCE_CEILING_EXAMPLES_PER_S);
    return new Ceiling(REFERENCE_CEILING_EXAMPLES_PER_S, "");
  }

  /** The ceiling's examples/s and the line on the GEMMs measured on every core at once ({@link #together}). */
  private record Ceiling(double examplesPerSecond, String together) {}

  /**
   * The line under the table on what the ceiling assumes: the step's GEMMs on one thread ({@code aloneMs}), on every core
   * at once at the full minibatch ({@code togetherMs}), and on every core at once at {@code laneRows} rows each
   * ({@code laneMs}), the shapes of data-parallel lanes. The last gives the most that lanes (and so a one-worker Spark
   * row) can gain over one core from the GEMMs: {@code aloneMs / laneMs}.
   */
  static String together(int cores, double aloneMs, double togetherMs, int laneRows, double laneMs) {
    if (cores < 2 || !(togetherMs > 0) || !(laneMs > 0)) {
      return "";
    }
    return String.format("the step's GEMMs on %d cores at once: %.2fx one core's speed at the full minibatch (%.3f ms per"
        + " step each, %.3f ms alone); at %d rows each (the lanes' share) one step takes %.3f ms, so %d lanes can gain at"
        + " most %.2fx over one core from the GEMMs%n", cores, cores * aloneMs / togetherMs, togetherMs, aloneMs, laneRows,
        laneMs, cores, aloneMs / laneMs);
  }

  /**
   * The command of a {@code bench-worker} JVM: this JVM's java, options ({@code jvmFlags} added) and class path,
   * running {@code mode} on the exported data and writing its record to {@code json}.
   */
  private static List<String> workerCommand(List<String> jvmFlags, String mode, int averagingFrequency, Path train,
      Path held, int epochs, Path json) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.quill.cli.Quill", "bench-worker", "--mode", mode,
        "--averaging-frequency", AveragingFrequency.text(averagingFrequency), "--train", train.toString(), "--heldout", held.toString(),
        "--epochs", "" + epochs, "--json", json.toString()));
    return cmd;
  }

  /** Quill rows that keep the machine's OpenBLAS kernels: the levers measured before Quill chose the kernels. */
  static final List<String> HISTORY_MODES = List.of("dl4j", "fused-1t", "fused-1t-vec");

  private static void runPeer(Options o, Path train, Path held, String mode, String name, Map<String, String> env,
      int round, List<Row> rows) throws IOException {
    Path peerJson = o.out().resolve("bc_torch".concat("peer".equals(mode) ? "" : "_" + mode.replace("peer-", ""))
        + suffix(o, round) + ".json");
    Map<String, String> peerEnv = new LinkedHashMap<>(env);
    peerEnv.put("OMP_WAIT_POLICY", "PASSIVE");
    int code = exec(List.of("/usr/bin/time", "-f", "peak_rss_kb=%M", o.python(), o.peers().resolve("bc_torch.py").toString(),
        "--data", train.toString(), "--heldout-data", held.toString(), "--epochs", "" + o.epochs(), "--json",
        peerJson.toString()), peerEnv);
    if (code == 0) {
      JsonNode m = Json.MAPPER.readTree(peerJson.toFile()).path("metrics");
      if (m.path("examples_per_s").asDouble() < PEER_SANE_EXAMPLES_PER_S) {
        System.out.println("WARNING: the PyTorch peer ran at " + Math.round(m.path("examples_per_s").asDouble())
            + " ex/s, far below its documented 29-39k on the reference machine; check that libblas.so.3 is OpenBLAS "
            + "(apt-get install libopenblas0-pthread), not Debian's reference BLAS, before trusting the ratios");
      }
      rows.add(new Row(mode, name, m.path("examples_per_s").asDouble(), lastEpoch(m), m.path("heldout_loss").asDouble(),
          lastRssMb, round));
    }
  }

  /** The OpenBLAS kernel set the peer's numpy runs with under {@code env} (threadpoolctl), or "unknown". */
  private static String peerKernels(Options o, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(o.python(), "-c",
          "import numpy\nfrom threadpoolctl import threadpool_info\n"
              + "print(next((i.get('architecture') for i in threadpool_info() if i.get('internal_api') == 'openblas'), 'unknown'))")
          .redirectErrorStream(true);
      applyEnv(pb, env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 && !out.isEmpty() && !out.contains("\n") ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /**
   * What a {@code local-cluster} mode's JVM needs to launch executor JVMs on this machine, where {@code machine} (the
   * environment) lacks it: a {@code SPARK_HOME} (Spark launches executors from it; its {@code jars/} may be empty, as
   * they load Quill's class path: a folder {@code spark-home} under {@code out} is made), the Scala version Spark's
   * launcher asks for, and the loopback address. Empty for every other mode.
   */
  static Map<String, String> executorJvmEnv(String mode, Map<String, String> machine, Path out) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    if (!BenchTraining.ownExecutorJvms(mode)) {
      return env;
    }
    if (machine.get("SPARK_HOME") == null) {
      Path home = out.resolve("spark-home");
      Files.createDirectories(home.resolve("jars"));
      env.put("SPARK_HOME", home.toAbsolutePath().toString());
    }
    if (machine.get("SPARK_SCALA_VERSION") == null) {
      env.put("SPARK_SCALA_VERSION", "2.12");
    }
    if (machine.get("SPARK_LOCAL_IP") == null) {
      env.put("SPARK_LOCAL_IP", "127.0.0.1");
    }
    return env;
  }

  /** Puts {@code env} into {@code pb}'s environment; a {@code null} value removes the variable. */
  private static void applyEnv(ProcessBuilder pb, Map<String, String> env) {
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
  }

  /**
   * JVM flags that hold a row to the levers before it: {@code fused-1t} runs without the Vector API kernels, and the rows
   * from {@code fused-1t-vec} to {@code lanes-adam-copies} with the plain Adam loops ({@code -Dquill.vectorAdam=false}),
   * so that each row measures its own lever alone and {@code lanes} against {@code lanes-adam-copies} the one-pass Adam.
   */
  static List<String> leverFlags(String mode) {
    return switch (mode) {
      case "fused-1t" -> List.of("-Dquill.vectorSoftmax=false");
      case "fused-1t-vec", "fused-1t-cpu", "single", "lanes-adam-copies" -> List.of("-Dquill.vectorAdam=false");
      default -> List.of();
    };
  }

  /**
   * The table row of a Quill mode, named for the change it measures; {@code kernels} is the OpenBLAS kernel set Quill
   * chooses for this CPU (empty: none, the library's own).
   */
  static String rowName(String mode, Optional<String> kernels) {
    if (BenchTraining.bf16(mode)) {
      return rowName(BenchTraining.withoutBf16(mode), kernels) + ", bf16 products (train.precision: bf16)";
    }
    String k = "OpenBLAS kernels chosen by Quill (" + kernels.orElse("none for this CPU: the library's") + ")";
    return switch (mode) {
      case "dl4j" -> "Quill single JVM, DL4J fit, 1 thread (before)";
      case "fused-1t" -> "Quill single JVM + fused step (FusedPolicyStep), ND4J softmax, 1 thread";
      case "fused-1t-vec" -> "Quill single JVM + fused step + Vector API softmax/log-loss, 1 thread";
      case "fused-1t-cpu" -> "Quill single JVM + fused step + Vector API softmax + " + k + ", 1 thread";
      case "single" -> "Quill single JVM + fused step + Vector API softmax + " + k + " + BLAS threads chosen by Quill (1 per core)";
      case "lanes-adam-copies" -> "Quill single JVM + fused step + Vector API softmax + " + k
          + " + data-parallel lanes (1 per core, 1 BLAS thread each), Adam through heap copies (before)";
      case "lanes" -> "Quill single JVM + fused step + Vector API softmax + " + k
          + " + data-parallel lanes (1 per core, 1 BLAS thread each) + one-pass Vector API Adam";
      default -> mode.endsWith(":export") ? "Quill Spark " + mode.substring(0, mode.indexOf(':'))
          + ", DL4J training master, export (before)"
          : mode.endsWith(BenchTraining.GLOBAL_SUFFIX) ? rowName(mode.substring(0,
              mode.length() - BenchTraining.GLOBAL_SUFFIX.length()), kernels)
              + ", global batch 256 split over the workers (train.batchScope: global)"
          : mode.endsWith(BenchTraining.LANES_SUFFIX) ? "Quill Spark " + BenchTraining.master(mode) + executorJvms(mode)
              + ", one fused worker per executor with a lane per core (spark.workerLanes), Vector API softmax, " + k
          : "Quill Spark " + mode + " + fused parameter averaging + Vector API softmax + " + k + ", 1 thread per worker";
    };
  }

  /**
   * For a {@code local-cluster} mode, that its executors run in JVMs of their own and whether Quill gives them the Vector
   * API module ({@code spark.quill.executorVectorModule}, which the bench's JVM passes on to its rows); else empty.
   */
  static String executorJvms(String mode) {
    if (!BenchTraining.ownExecutorJvms(mode)) {
      return "";
    }
    boolean module = dev.quill.spark.QuillSpark.executorVectorModule(
        System.getProperty(dev.quill.spark.QuillSpark.VECTOR_MODULE_KEY, "true"));
    return " (executors in JVMs of their own, " + (module ? "given the Vector API module by Quill" : "without the Vector API"
        + " module: " + dev.quill.spark.QuillSpark.VECTOR_MODULE_KEY + "=false") + ")";
  }

  private static int exec(List<String> cmd, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // Each process gets its own documented threading: the peer its defaults (2 threads, passive
    // waiting), Quill's JVMs OMP_NUM_THREADS=1; nothing is inherited from the launching shell.
    pb.environment().remove("OMP_NUM_THREADS");
    applyEnv(pb, env);
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

  /** The last epoch's examples/s of a record's metrics ({@code examples_per_s_per_epoch}), or NaN. */
  private static double lastEpoch(JsonNode metrics) {
    JsonNode epochs = metrics.path("examples_per_s_per_epoch");
    return epochs.isArray() && epochs.size() > 0 ? epochs.get(epochs.size() - 1).asDouble() : Double.NaN;
  }

  /**
   * The table: one row per mode (the median of its rounds' runs when rounds repeat, with their range), ratios to the
   * first peer row and to {@code ceiling}, then the ceilings and the ratios between rows. The "last epoch" column
   * shows the speed once warmed up (this host speeds up two-thread runs over the first epochs, README Performance);
   * the ratios use the whole run's examples/s. A ratio between two rows is the median over the rounds in which both
   * ran of their paired ratio: the runs of one round are minutes apart and share the host's load.
   */
  static String render(List<Row> rows, Options o, double ceiling, Optional<String> chosen) {
    return render(rows, o, ceiling, Double.NaN, chosen);
  }

  /**
   * {@link #render(List, Options, double, Optional)} with the ceiling of bf16 products ({@code NaN}: not measured), which
   * the bf16 rows' ratio to the ceiling uses.
   */
  static String render(List<Row> rows, Options o, double ceiling, double bf16Ceiling, Optional<String> chosen) {
    Map<String, List<Row>> byMode = new LinkedHashMap<>();
    rows.forEach(r -> byMode.computeIfAbsent(r.mode(), k -> new ArrayList<>()).add(r));
    boolean repeated = o.repeat() > 1;
    double peer = byMode.entrySet().stream().filter(e -> e.getValue().get(0).name().startsWith("PyTorch"))
        .mapToDouble(e -> median(e.getValue(), Row::examplesPerSecond)).findFirst().orElse(Double.NaN);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%nDefault model: state 17, 6 action dims x 256 bins, MLP 2x256, batch 256, Adam 1e-3; N=%d, %d epochs;"
        + " every Quill row train.init=%s%s%n%n", o.n(), o.epochs(), BenchTraining.INIT,
        repeated ? "; " + o.repeat() + " interleaved rounds, each row the median of its runs" : ""));
    sb.append("| run | ex/s |" + (repeated ? " ex/s range |" : "") + " last epoch ex/s | ratio to peer | ratio to ceiling |"
        + " final held-out loss | peak RSS (MiB) |\n");
    sb.append("|---|---|" + (repeated ? "---|" : "") + "---|---|---|---|---|\n");
    for (List<Row> runs : byMode.values()) {
      double exs = median(runs, Row::examplesPerSecond);
      String range = repeated ? String.format(" %,.0f–%,.0f (%d runs) |", runs.stream().mapToDouble(Row::examplesPerSecond).min()
          .orElse(Double.NaN), runs.stream().mapToDouble(Row::examplesPerSecond).max().orElse(Double.NaN), runs.size()) : "";
      sb.append(String.format("| %s | %,.0f |%s %,.0f | %.2f | %.2f | %.4f | %.0f |%n", runs.get(0).name(), exs, range,
          median(runs, Row::lastEpochExamplesPerSecond), exs / peer,
          exs / (BenchTraining.bf16(runs.get(0).mode()) && bf16Ceiling > 0 ? bf16Ceiling : ceiling),
          median(runs, Row::heldoutLoss),
          runs.stream().mapToDouble(Row::peakRssMb).max().orElse(Double.NaN)));
    }
    String blank = repeated ? " |" : "";
    sb.append(String.format("| ceiling measured here (every core runs the step's GEMMs + Adam at their 1-thread speed, "
        + "OpenBLAS kernels %s) | %,.0f |%s | %.2f | 1.00 | | |%n", chosen.orElse("of the library"), ceiling, blank, ceiling / peer));
    sb.append(String.format("| reference: ceiling of the Zen 4 machine in shared/peers/README.md (AVX2 kernels) | %,.0f |%s | %.2f | %.2f | | |%n",
        REFERENCE_CEILING_EXAMPLES_PER_S, blank, REFERENCE_CEILING_EXAMPLES_PER_S / peer, REFERENCE_CEILING_EXAMPLES_PER_S / ceiling));
    if (bf16Ceiling > 0) {
      sb.append(String.format("| ceiling measured here with bf16 products (layers past the first; their conversions "
          + "included) | %,.0f |%s | %.2f | %.2f | | |%n", bf16Ceiling, blank, bf16Ceiling / peer, bf16Ceiling / ceiling));
    }
    double peerLoss = byMode.entrySet().stream().filter(e -> e.getValue().get(0).name().startsWith("PyTorch"))
        .mapToDouble(e -> median(e.getValue(), Row::heldoutLoss)).findFirst().orElse(Double.NaN);
    for (String precision : List.of("", BenchTraining.BF16_SUFFIX)) {
      summary(sb, byMode, precision, peerLoss);
    }
    return sb.toString();
  }

  /**
   * The ratios between rows of one precision ({@code ""} for fp32, {@link BenchTraining#BF16_SUFFIX}): each two-core
   * Spark row against {@code local[1]} and against the fastest single-JVM row of that precision, their held-out losses
   * against that row's and the peer's, and the fastest single JVM against the peers.
   */
  private static void summary(StringBuilder sb, Map<String, List<Row>> byMode, String precision, double peerLoss) {
    boolean bf16 = !precision.isEmpty();
    String one = "local[1]" + precision;
    // The two-core Spark rows: averaged workers, and one worker with a lane per core.
    List<String> twoCores = List.of("local[2]" + precision, "local[2]" + BenchTraining.GLOBAL_SUFFIX + precision,
        "local[2]" + BenchTraining.LANES_SUFFIX + precision);
    sb.append(String.format("%n"));
    for (String m : twoCores) {
      if (byMode.containsKey(one) && byMode.containsKey(m)) {
        sb.append(String.format("%s / %s throughput: %s%n", m, one, pairedRatio(byMode.get(m), byMode.get(one))));
      }
    }
    // The fastest single-JVM row of this precision by median (every Quill row that is neither a peer nor a Spark master).
    String best = null;
    for (Map.Entry<String, List<Row>> e : byMode.entrySet()) {
      String m = e.getKey();
      boolean singleJvm = !m.startsWith("peer") && !m.contains("[") && !m.contains("://");
      if (singleJvm && BenchTraining.bf16(m) == bf16 && (best == null
          || median(e.getValue(), Row::examplesPerSecond) > median(byMode.get(best), Row::examplesPerSecond))) {
        best = m;
      }
    }
    if (best == null) {
      return;
    }
    for (String m : twoCores) {
      if (byMode.containsKey(m)) {
        sb.append(String.format("%s / best single JVM (%s): %s%n", m, best, pairedRatio(byMode.get(m), byMode.get(best))));
      }
    }
    for (String m : twoCores) {
      if (byMode.containsKey(m)) {
        // The loss targets (+-2 % single JVM, +-5 % local[2]) are against the single JVM's loss.
        sb.append(String.format("%s final held-out loss against best single JVM (%s): %+.2f %%%n", m, best,
            100 * (median(byMode.get(m), Row::heldoutLoss) / median(byMode.get(best), Row::heldoutLoss) - 1)));
      }
    }
    for (String m : byMode.keySet()) {
      if (m.startsWith("peer")) {
        sb.append(String.format("best single JVM (%s) / %s: %s%n", best, m, pairedRatio(byMode.get(best), byMode.get(m))));
      }
    }
    if (peerLoss > 0) {
      List<String> againstPeer = new ArrayList<>(List.of(best));
      twoCores.stream().filter(byMode::containsKey).forEach(againstPeer::add);
      for (String m : againstPeer) {
        sb.append(String.format("%s final held-out loss against the peer's: %+.2f %%%n", m,
            100 * (median(byMode.get(m), Row::heldoutLoss) / peerLoss - 1)));
      }
    }
  }

  /** Median of {@code f} over {@code runs} (the mean of the middle two for an even count). */
  static double median(List<Row> runs, java.util.function.ToDoubleFunction<Row> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /**
   * {@code a}'s examples/s over {@code b}'s, paired by round: the one ratio of a single round, or the median of the
   * rounds' ratios with their range and count.
   */
  static String pairedRatio(List<Row> a, List<Row> b) {
    List<Row> ratios = new ArrayList<>();
    for (Row x : a) {
      b.stream().filter(y -> y.round() == x.round()).findFirst().ifPresent(y -> ratios.add(
          new Row("", "", x.examplesPerSecond() / y.examplesPerSecond(), Double.NaN, Double.NaN, Double.NaN, x.round())));
    }
    if (ratios.isEmpty()) {
      return "no round ran both";
    }
    double m = median(ratios, Row::examplesPerSecond);
    if (ratios.size() == 1) {
      return String.format("%.2f", m);
    }
    return String.format("%.2f (median of %d rounds' paired ratios, range %.2f–%.2f)", m, ratios.size(),
        ratios.stream().mapToDouble(Row::examplesPerSecond).min().orElse(Double.NaN),
        ratios.stream().mapToDouble(Row::examplesPerSecond).max().orElse(Double.NaN));
  }

  /** One run: its mode, the row's name, its measurements and the round it ran in (from 1). */
  record Row(String mode, String name, double examplesPerSecond, double lastEpochExamplesPerSecond, double heldoutLoss,
      double peakRssMb, int round) {}
}
