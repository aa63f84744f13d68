package dev.quill.spark.bench;

import dev.quill.config.SparkConfig;
import dev.quill.policy.AveragingFrequency;
import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.spark.train.AveragingTimes;
import dev.quill.spark.train.SparkPolicyTrainer;
import dev.quill.train.EpochStats;
import dev.quill.train.ExampleBlock;
import dev.quill.train.FusedPolicyStep;
import dev.quill.train.LocalTrainer;
import dev.quill.train.StepProfile;
import dev.quill.spark.QuillSpark;
import dev.quill.train.MatmulPrecision;
import dev.quill.train.NativeThreads;
import dev.quill.train.StepCeiling;
import dev.quill.util.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
  /** The mode that measures the practical ceiling ({@link StepCeiling}) instead of training. */
  public static final String CEILING = "ceiling";
  /**
   * Suffix of a Spark mode whose executors each run one fused worker with a lane per core ({@code spark.workerLanes}
   * = {@code auto}), e.g. {@code local[2]-lanes}; without it, a Spark mode runs one averaged worker per core
   * ({@code spark.workerLanes} = 1).
   */
  public static final String LANES_SUFFIX = "-lanes";
  /**
   * Suffix of a Spark mode whose averaged workers split the minibatch ({@code train.batchScope: global}), e.g.
   * {@code local[2]-global}: each of W workers fits {@code ceil(256 / W)} examples per step, as many steps per epoch as
   * one JVM; without it each worker fits 256 ({@code worker}).
   */
  public static final String GLOBAL_SUFFIX = "-global";
  /**
   * Suffix of a mode whose fused steps multiply bf16 copies of their operands ({@code train.precision: bf16}), after
   * any other suffix and before an approach, e.g. {@code lanes-bf16}, {@code local[2]-global-bf16}; without it, fp32.
   */
  public static final String BF16_SUFFIX = "-bf16";

  /**
   * The Spark master of a Spark mode: without its approach ({@code :export}), {@link #GLOBAL_SUFFIX} or
   * {@link #LANES_SUFFIX}.
   */
  static String master(String mode) {
    String m = withoutGlobal(mode);
    return m.endsWith(LANES_SUFFIX) ? m.substring(0, m.length() - LANES_SUFFIX.length()) : m;
  }

  /** Whether a Spark mode's averaged workers split the minibatch ({@link #GLOBAL_SUFFIX}). */
  static boolean globalBatch(String mode) {
    return withoutBf16(mode).endsWith(GLOBAL_SUFFIX);
  }

  /** Whether a mode's fused steps multiply in bf16 ({@link #BF16_SUFFIX}). */
  public static boolean bf16(String mode) {
    return withoutApproach(mode).endsWith(BF16_SUFFIX);
  }

  /** The mode without {@link #BF16_SUFFIX} (and without its approach), e.g. {@code lanes} for {@code lanes-bf16}. */
  public static String withoutBf16(String mode) {
    String m = withoutApproach(mode);
    return m.endsWith(BF16_SUFFIX) ? m.substring(0, m.length() - BF16_SUFFIX.length()) : m;
  }

  /** Whether a Spark mode runs one worker with a lane per core ({@link #LANES_SUFFIX}). */
  static boolean workerLanes(String mode) {
    return withoutGlobal(mode).endsWith(LANES_SUFFIX);
  }

  private static String withoutApproach(String mode) {
    return mode.contains(":") ? mode.substring(0, mode.indexOf(':')) : mode;
  }

  private static String withoutGlobal(String mode) {
    String m = withoutBf16(mode);
    return m.endsWith(GLOBAL_SUFFIX) ? m.substring(0, m.length() - GLOBAL_SUFFIX.length()) : m;
  }

  /** Modes that train in this JVM without Spark. */
  public static final List<String> SINGLE_MODES = List.of("dl4j", "fused-1t", "fused-1t-vec", "fused-1t-cpu", "single",
      "lanes-adam-copies", "lanes");
  /**
   * Weight initialization of every Quill row ({@code train.init}): PyTorch's {@code nn.Linear} bound, the
   * peer's, so that the rows compare training speed at the peer's final loss (README, Performance).
   */
  public static final String INIT = "torch";

  private BenchTraining() {}

  /**
   * Runs one mode and returns its record. Modes: {@code dl4j} (single JVM, DL4J's {@code fit}, one
   * native thread: the starting point), {@code fused-1t} ({@link dev.quill.train.FusedPolicyStep}, one
   * native thread; {@code fused-1t-vec} the same row, run by {@code quill bench} with the Vector API softmax
   * where {@code fused-1t} runs without it, and {@code fused-1t-cpu} the same row again, run by {@code quill bench} with
   * the OpenBLAS kernels Quill chooses for the CPU, {@link dev.quill.train.BlasKernels}), {@code single} (fused step, native threads chosen by {@link NativeThreads}: one per
   * core), {@code lanes} (fused step with one data-parallel lane per core, each with one native thread),
   * or a Spark master such as {@code local[2]} (fused parameter averaging), optionally with an
   * approach ({@code local[2]:export} for DL4J's training master).
   */
  public static Map<String, Object> run(String mode, Path train, Path heldout, int epochs, int bins, int hidden,
      int batch, int averagingFrequency, long seed) {
    MatmulPrecision precision = bf16(mode) ? MatmulPrecision.BF16 : MatmulPrecision.FP32;
    String base = withoutBf16(mode);
    if (!"dl4j".equals(base) && !CEILING.equals(base)) {
      // As the pipeline's executors do while encoding their partitions: the kernels' warm-up overlaps with loading.
      dev.quill.train.KernelWarmup.startInBackground();
    }
    ExampleBlock trainBlock = load(train, bins);
    ExampleBlock heldBlock = load(heldout, bins);
    DataSet held = heldBlock.toMinibatches(heldBlock.size(), null).get(0);
    TrainConfig cfg = TrainConfig.mlp("factorized", List.of(hidden, hidden), epochs, batch, 1e-3, averagingFrequency, "auto")
        .withInit(INIT);
    MultiLayerConfiguration conf = PolicyNetworks.factorized(trainBlock.stateDim(), trainBlock.numHeads(), bins, cfg, seed);
    List<EpochStats> stats;
    Map<String, Object> metrics = new LinkedHashMap<>();
    if (CEILING.equals(base)) {
      MultiLayerNetwork net = new MultiLayerNetwork(conf);
      net.init();
      StepCeiling.Result c = StepCeiling.measure(net, batch, NativeThreads.forSingleJvm(), precision);
      System.out.printf("[%s] one thread: the step's GEMMs %.3f ms, Adam %.3f ms; %d cores x %d / (sum) = %.0f examples/s "
          + "(%s; OpenBLAS kernels: %s)%n", mode, c.gemmMs(), c.adamMs(), c.cores(), c.batch(), c.examplesPerSecond(),
          precision.describe(), dev.quill.train.BlasKernels.describe());
      metrics.put("precision", precision.configValue());
      metrics.put("examples_per_s", c.examplesPerSecond());
      metrics.put("gemm_ms", c.gemmMs());
      metrics.put("adam_ms", c.adamMs());
      metrics.put("cores", c.cores());
      // What the ceiling assumes, measured: the cores running the GEMMs at the same time, at the full minibatch and at
      // the lanes' share of it.
      StepCeiling.Together full = StepCeiling.gemmsTogether(net, batch, c.cores(), precision);
      StepCeiling.Together lanes = StepCeiling.gemmsTogether(net, Math.max(1, batch / c.cores()), c.cores(), precision);
      System.out.printf("[" + mode + "] the step's GEMMs on %d threads at once: %d rows each %.3f ms, %d rows each (the lanes'"
          + " share) %.3f ms%n", c.cores(), full.rows(), full.msPerStep(), lanes.rows(), lanes.msPerStep());
      metrics.put("gemm_together_ms", full.msPerStep());
      metrics.put("gemm_together_lane_rows", lanes.rows());
      metrics.put("gemm_together_lane_ms", lanes.msPerStep());
      metrics.put("blas_kernels", dev.quill.train.BlasKernels.describe());
      return Map.of("tool", "bc_quill", "params", Map.of("mode", mode, "batch_size", batch, "hidden", hidden, "bins", bins),
          "metrics", metrics);
    }
    if (precision == MatmulPrecision.BF16 && "dl4j".equals(base)) {
      throw new IllegalArgumentException("mode " + mode + ": DL4J's fit multiplies in fp32; " + BF16_SUFFIX
          + " applies to the fused step's modes");
    }
    metrics.put("precision", precision.configValue());
    if (SINGLE_MODES.contains(base)) {
      NativeThreads.set("single".equals(base) ? NativeThreads.forSingleJvm() : 1);
      System.out.println("[" + mode + "] native threads: " + NativeThreads.describe() + ", Vector API softmax: "
          + FusedPolicyStep.vectorSoftmax(bins) + ", OpenBLAS kernels: " + dev.quill.train.BlasKernels.describe());
      MultiLayerNetwork net = new MultiLayerNetwork(conf);
      net.init();
      boolean lanes = base.startsWith("lanes");
      boolean oneThread = !"single".equals(base) && !lanes;
      FusedPolicyStep step = "dl4j".equals(base) ? null
          : new FusedPolicyStep(net, lanes ? NativeThreads.forSingleJvm() : 1, precision);
      StepProfile profile = step != null && oneThread ? step.startProfiling() : null;
      // Held-out scoring happens in the callback, outside the CPU-time brackets of the training.
      ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
      long[] cpuMark = {tmx.getCurrentThreadCpuTime(), 0};
      long[] processMark = {processCpuNanos(), 0};
      ThreadCpu.Brackets threads = new ThreadCpu.Brackets();
      threads.start();
      List<EpochStats> scored = new ArrayList<>();
      LocalTrainer.fit(net, trainBlock, batch, epochs, seed, null, s -> {
        threads.stop();
        cpuMark[1] += tmx.getCurrentThreadCpuTime() - cpuMark[0];
        processMark[1] += processCpuNanos() - processMark[0];
        EpochStats full = new EpochStats(s.epoch(), s.trainLoss(), net.score(held, false), s.seconds(), s.examples());
        System.out.println(line(mode, full));
        scored.add(full);
        cpuMark[0] = tmx.getCurrentThreadCpuTime();
        processMark[0] = processCpuNanos();
        threads.start();
      }, step);
      if (step != null) {
        // After training, so that the line names the oneDNN implementations the products chose.
        System.out.println("[" + mode + "] matrix products: " + precision.describe());
      }
      putThreadCpu(mode, "thread_cpu_s", threads, metrics);
      metrics.put("examples_per_process_cpu_s", trainBlock.size() * (double) epochs / (processMark[1] / 1e9));
      System.out.printf("[%s] %.0f examples per process CPU second%n", mode, metrics.get("examples_per_process_cpu_s"));
      stats = scored;
      if (oneThread) {
        // One native thread: the main thread's CPU time is the training's, whatever else runs on the machine.
        metrics.put("examples_per_cpu_s", trainBlock.size() * (double) epochs / (cpuMark[1] / 1e9));
      }
      if (profile != null) {
        Map<String, Double> phases = new LinkedHashMap<>();
        double[] sec = profile.cpuSeconds();
        double steps = Math.ceil(trainBlock.size() / (double) batch) * epochs;
        for (int i = 0; i < sec.length; i++) {
          phases.put(profile.names().get(i), sec[i] / steps * 1e3);
          System.out.printf("[%s] %-40s %7.3f ms CPU per step%n", mode, profile.names().get(i), sec[i] / steps * 1e3);
        }
        metrics.put("phase_cpu_ms_per_step", phases);
      }
    } else {
      String master = master(mode);
      String approach = mode.contains(":") ? mode.substring(mode.indexOf(':') + 1) : "fused";
      boolean lanes = workerLanes(mode);
      TrainConfig sparkCfg = new TrainConfig("factorized", List.of(hidden, hidden), epochs, batch, 1e-3, averagingFrequency,
          approach).withInit(INIT).withBatchScope(globalBatch(mode) ? "global" : "worker")
          .withPrecision(precision.configValue());
      stats = spark(master, lanes, conf, sparkCfg, train, bins, trainBlock.size(), held, seed, metrics);
    }
    double seconds = stats.stream().mapToDouble(EpochStats::seconds).sum();
    metrics.put("examples_per_s", trainBlock.size() * (double) epochs / seconds);
    metrics.put("examples_per_s_per_epoch", stats.stream().map(EpochStats::examplesPerSecond).toList());
    metrics.put("train_s", seconds);
    metrics.put("heldout_loss", stats.get(stats.size() - 1).heldoutLoss());
    metrics.put("epoch_heldout_losses", stats.stream().map(EpochStats::heldoutLoss).toList());
    metrics.put("peak_rss_mb", peakRssMb());
    metrics.put("vector_softmax", !"dl4j".equals(mode) && FusedPolicyStep.vectorSoftmax(bins));
    // Started before loading the examples; the first fused step waits for what is left of it, inside the first epoch.
    metrics.put("kernel_warmup_s", FusedPolicyStep.kernelWarmupSeconds());
    metrics.put("kernel_warmup_wait_s", FusedPolicyStep.kernelWarmupWaitSeconds());
    metrics.put("blas_kernels", dev.quill.train.BlasKernels.describe());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("mode", mode);
    params.put("n", trainBlock.size());
    params.put("state_dim", trainBlock.stateDim());
    params.put("action_dim", trainBlock.numHeads());
    params.put("bins", bins);
    params.put("hidden", hidden);
    params.put("epochs", epochs);
    params.put("batch_size", batch);
    params.put("averaging_frequency", AveragingFrequency.text(averagingFrequency));
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("tool", "bc_quill");
    record.put("params", params);
    record.put("metrics", metrics);
    return record;
  }

  private static List<EpochStats> spark(String master, boolean lanes, MultiLayerConfiguration conf, TrainConfig cfg, Path train,
      int bins, int examples, DataSet held, long seed, Map<String, Object> metrics) {
    String label = (lanes ? master + LANES_SUFFIX : master) + (cfg.globalBatch() ? GLOBAL_SUFFIX : "")
        + ("bf16".equals(cfg.precision()) ? BF16_SUFFIX : "");
    // Quill's own Spark settings (one native thread per executor, direct task results, the workers' lanes);
    // spark.* system properties given to the bench JVM win, as spark-submit's would.
    SparkConf sc = QuillSpark.configure(new SparkConf().set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"),
        new SparkConfig(master, 4, 1, lanes ? SparkConfig.AUTO_LANES : "1"), "quill-bench", System.getenv(dev.quill.train.BlasKernels.ENV));
    boolean ownExecutorJvms = ownExecutorJvms(master);
    if (ownExecutorJvms) {
      // Executors in JVMs of their own, on this machine: they load Quill from this JVM's class path and are launched
      // from $SPARK_HOME (quill bench sets one); each gets its worker's memory.
      if (System.getenv("SPARK_HOME") == null) {
        throw new IllegalStateException("mode " + master + " launches executor JVMs from $SPARK_HOME, which is not set; "
            + "run it through quill bench, which sets it, or set SPARK_HOME to a folder with an empty jars/ folder");
      }
      sc.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
      sc.setIfMissing("spark.executor.memory", executorMemory(master));
    }
    Path export;
    try {
      export = Files.createTempDirectory("quill-bench-export");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (JavaSparkContext jsc = new JavaSparkContext(sc)) {
      String approach = SparkPolicyTrainer.resolveApproach(cfg.approach(), master);
      SparkPolicyTrainer trainer = new SparkPolicyTrainer(jsc, conf, cfg, seed, approach, export.toUri().toString());
      int workers = trainer.workers();
      // Each executor loads its own slice of the file, as the pipeline's blocks come from the executors'
      // Parquet rows: a parallelized collection of blocks would ship the examples inside every task of every
      // averaging round (serialized by the scheduler, deserialized by the executor: a third of local[1]'s
      // overhead before this was changed, README Performance).
      String file = train.toAbsolutePath().toString();
      List<Integer> ids = java.util.stream.IntStream.range(0, workers).boxed().toList();
      // As the jobs' encoders do, each loading task starts its worker's build and the kernels' warm-up in the background.
      dev.quill.spark.train.WorkerWarmup warmup = trainer.warmup();
      JavaRDD<ExampleBlock> blocks = jsc.parallelize(ids, workers).map(p -> {
        warmup.start();
        return split(load(Path.of(file), bins), workers).get(p);
      }).cache();
      blocks.count();
      // The one-time OpenBLAS check (about 0.5 s) before the clock starts, as LocalTrainer.fit does for the single-JVM
      // rows; in local mode the executors are this JVM, so their workers find it done.
      dev.quill.train.BlasKernels.checkBeforeTraining();
      // From here on every job is an averaging round: Spark's own account of them.
      JobTaskTimes jobTimes = new JobTaskTimes();
      jsc.sc().addSparkListener(jobTimes);
      List<EpochStats> stats = new ArrayList<>();
      long processCpu = 0;
      ThreadCpu.Brackets threads = new ThreadCpu.Brackets();
      for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
        long t0 = System.nanoTime();
        long c0 = processCpuNanos();
        threads.start();
        trainer.fitEpoch(blocks, epoch);
        threads.stop();
        processCpu += processCpuNanos() - c0;
        double seconds = (System.nanoTime() - t0) / 1e9;
        EpochStats s = new EpochStats(epoch, trainer.score(), trainer.network().score(held, false), seconds, examples);
        System.out.println(line(label, s));
        stats.add(s);
      }
      if (ownExecutorJvms) {
        // This JVM is only the driver: its CPU says nothing about the executors' steps.
        putThreadCpu(label + " driver JVM; the executors run in JVMs of their own", "driver_thread_cpu_s", threads, metrics);
      } else {
        metrics.put("examples_per_process_cpu_s", examples * (double) cfg.epochs() / (processCpu / 1e9));
        putThreadCpu(label, "thread_cpu_s", threads, metrics);
        System.out.printf("[%s] %.0f examples per process CPU second%n", label, metrics.get("examples_per_process_cpu_s"));
      }
      try {
        // The listener bus delivers events asynchronously: let it deliver the last round's.
        jsc.sc().listenerBus().waitUntilEmpty(10_000);
      } catch (java.util.concurrent.TimeoutException e) {
        System.out.printf("[%s] Spark's listener bus did not drain in 10 s: its task metrics may miss the last rounds%n", label);
      }
      putJobTimes(label, jobTimes.totals(), metrics);
      AveragingTimes t = trainer.averagingTimes();
      if (t.rounds() > 0) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("rounds", t.rounds());
        a.put("driver_ms_per_round", t.driverSeconds() / t.rounds() * 1e3);
        a.put("job_ms_per_round", t.jobSeconds() / t.rounds() * 1e3);
        a.put("worker_fit_ms_per_round", t.workerFitSeconds() / t.workerRounds() * 1e3);
        a.put("worker_copy_ms_per_round", t.workerCopySeconds() / t.workerRounds() * 1e3);
        a.put("spark_ms_per_round", t.sparkSeconds() / t.rounds() * 1e3);
        a.put("rounds_state_kept", t.stateKept());
        int frequency = trainer.averagingFrequency().orElse(0);
        a.put("frequency", AveragingFrequency.reported(frequency));
        a.put("batch_scope", cfg.batchScope());
        a.put("worker_batch", trainer.workerBatchSize());
        metrics.put("averaging", a);
        System.out.printf("[%s] %d rounds (averaging every %s), ms per round: driver %.1f, Spark job %.1f (worker steps %.1f,"
            + " worker copies %.1f, Spark scheduling/results/reduction %.1f); %d round(s) sent no state%n", label, t.rounds(),
            (frequency > 0 ? frequency + " minibatches" : "epoch") + " of " + trainer.workerBatchSize() + " per worker",
            t.driverSeconds() / t.rounds() * 1e3,
            t.jobSeconds() / t.rounds() * 1e3, t.workerFitSeconds() / t.workerRounds() * 1e3,
            t.workerCopySeconds() / t.workerRounds() * 1e3, t.sparkSeconds() / t.rounds() * 1e3, t.stateKept());
      }
      return stats;
    } finally {
      dev.quill.util.AtomicFiles.deleteRecursively(export);
    }
  }

  /**
   * The memory of each worker of a {@code local-cluster[workers, cores, megabytes]} master, as an executor memory setting
   * ({@code "3072m"}): one executor per worker gets all of it.
   *
   * @throws IllegalArgumentException if {@code master} is not of that form
   */
  static String executorMemory(String master) {
    return dev.quill.spark.SparkMasters.localCluster(master).map(c -> c.megabytes() + "m").orElseThrow(() ->
        new IllegalArgumentException("expected local-cluster[workers, cores, megabytes per worker], got " + master));
  }

  /** Whether the Spark mode {@code mode} runs its executors in JVMs of their own ({@code local-cluster[W,C,M]}). */
  static boolean ownExecutorJvms(String mode) {
    return dev.quill.spark.SparkMasters.localCluster(master(mode)).isPresent();
  }

  /**
   * Prints and records ({@code spark_task_ms_per_round}) Spark's own account of a Spark row's jobs, per job: submission
   * to launch, task deserialization, run, result serialization, GC, last task's end to the job's end (README,
   * Performance, ninth round).
   */
  static void putJobTimes(String label, JobTaskTimes.Totals t, Map<String, Object> metrics) {
    if (t.jobs() == 0) {
      return;
    }
    Map<String, Double> perJob = t.perJob();
    metrics.put("spark_task_ms_per_round", perJob);
    System.out.printf("[%s] Spark's task metrics per job (%d jobs, %d tasks), ms: submitted to launched %.1f, task"
        + " deserialization %.1f, run %.1f, result serialization %.1f (%.1f MB), GC %.1f, last task's end to job end %.1f%n",
        label, t.jobs(), t.tasks(), perJob.get("submit_to_launch_ms"), perJob.get("deserialize_ms"), perJob.get("run_ms"),
        perJob.get("result_serialize_ms"), perJob.get("result_bytes") / 1e6, perJob.get("gc_ms"),
        perJob.get("finish_to_job_end_ms"));
  }

  /**
   * Prints and records (under {@code key}) the CPU seconds of this JVM's threads inside the timed epochs, by thread
   * name (the lanes, Spark's task and scheduler threads, the JIT's compiler threads, GC): where a row's CPU beyond the
   * steps goes. Held-out scoring between epochs is outside the brackets.
   */
  private static void putThreadCpu(String label, String key, ThreadCpu.Brackets threads, Map<String, Object> metrics) {
    Map<String, Double> seconds = threads.seconds(8);
    if (!seconds.isEmpty()) {
      metrics.put(key, seconds);
      System.out.printf("[%s] CPU by thread inside the epochs: %s%n", label, ThreadCpu.render(seconds));
    }
  }

  /**
   * CPU time of this whole JVM (every thread: Spark's, the executors', GC, JIT) in nanoseconds. Examples per
   * process CPU second compare the rows' work on a loaded machine, where wall time mostly measures the load.
   */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
