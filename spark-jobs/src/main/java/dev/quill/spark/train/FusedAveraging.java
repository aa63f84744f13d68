package dev.quill.spark.train;

import dev.quill.policy.AveragingFrequency;
import dev.quill.policy.TrainConfig;
import dev.quill.train.ExampleBlock;
import dev.quill.train.FlatCopy;
import dev.quill.train.FusedStep;
import dev.quill.train.LocalTrainer;
import dev.quill.train.BlasKernels;
import dev.quill.train.MatmulPrecision;
import dev.quill.train.NativeThreads;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceProfile;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous parameter averaging (McDonald et al. 2010; Zinkevich et al. 2010, as in DL4J's
 * ParameterAveragingTrainingMaster) with a {@link FusedStep} on the workers (MLP or convolutional policy) and the examples kept in
 * each partition's cached {@link ExampleBlock}: nothing is exported, serialized or re-read per epoch.
 * Every round broadcasts the parameters and the Adam state as flat float arrays, each partition fits its
 * next {@code averagingFrequency} minibatches (fixed, or {@code auto}: {@link AveragingFrequency#resolve} for the
 * workers' lanes and largest shard) of its epoch order (the order {@link LocalTrainer} uses
 * for that partition) on a network kept in the executor between rounds, and the workers' parameters
 * and Adam state are summed by a tree reduction and averaged on the driver. With one partition it is
 * exactly {@link LocalTrainer}'s fused training, so then each epoch is one round: averaging one worker changes
 * nothing, and the rounds' broadcasts, task launches and copies would only cost time.
 *
 * <p>Each worker's minibatch is {@code train.batchSize}, or with {@code train.batchScope: global} its share
 * ({@link TrainConfig#workerBatchSize}, {@code ceil(batchSize / W)}) over the W partitions that hold examples, so that an epoch has as many averaged steps
 * as one JVM fitting minibatches of {@code batchSize} (with the {@code worker} scope it has W times fewer, each over W
 * times the examples: on the bench model +3.9 % held-out loss against +1.9 % after 3 epochs, README, Performance).
 *
 * <p>Each worker fits with {@code lanesPerWorker} data-parallel lanes ({@code FusedPolicyStep}'s lanes, one
 * thread and one BLAS thread each, one shared copy of the network) and computes each minibatch on all of them, so an
 * executor of {@code k} cores can run one worker instead of {@code k} averaged ones ({@link WorkerLanes}: on cluster
 * masters the training stage's tasks claim the lanes' cores through a task resource profile).
 *
 * <p>The per-round cost is kept to moving the state itself: parameters and Adam state go between ND4J and
 * Java arrays by one native copy each ({@link FlatCopy}), into buffers reused across rounds, and travel
 * as raw bytes ({@link State}); {@link #times()} says where each round's time went (README, Performance).
 *
 * <p>Two costs of the first and later rounds are taken off the rounds' path:
 * <ul>
 *   <li>An executor builds its worker (network from the configuration's JSON, {@code init}, fused step: 130–210 ms on
 *       the bench model) on a background thread while it encodes its partition ({@link WorkerWarmup}), so the first
 *       round finds it ready.
 *   <li>With one worker, a round's result is the driver's next state, so the next round sends no state when the
 *       driver's network still holds exactly that result: the worker continues from its own network. A worker that
 *       does not hold it (a new executor, a failed or repeated task) answers "missing" and the round is run again
 *       with the state broadcast, so results never depend on where the worker ran.
 * </ul>
 */
final class FusedAveraging {
  private static final Logger LOG = LoggerFactory.getLogger(FusedAveraging.class);
  /** Worker networks of live trainers in this JVM, by trainer id and partition, built or being built. */
  private static final Map<String, CompletableFuture<Worker>> WORKERS = new ConcurrentHashMap<>();
  /** Builds workers ahead of their first round ({@link #prepareInBackground}); one daemon thread, started on demand. */
  private static final ExecutorService BUILDER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "quill-worker-build");
    t.setDaemon(true);
    return t;
  });

  private final JavaSparkContext sc;
  private final WorkerSpec spec;
  /** {@code train.batchSize}, {@code train.batchScope} and {@code train.averagingFrequency}. */
  private final TrainConfig config;
  private final long seed;
  /** Task resource profile of the training stage (the lanes' cores), or {@code null} to schedule it as any stage. */
  private final ResourceProfile profile;
  private double score = Double.NaN;
  private AveragingTimes times = AveragingTimes.NONE;
  private float[] sendParams;
  private float[] sendUpdater;
  private int batchesRdd = -1;
  private long maxBatches;
  /** Minibatch each worker fits: {@link TrainConfig#workerBatchSize} for the workers holding examples. */
  private int workerBatch;
  /** Minibatches per round in the last epoch: 0 for one worker (a round per epoch), -1 before the first epoch. */
  private int resolvedFrequency = -1;
  /** Workers whose products were bf16 in the last round that fitted ({@code train.precision}). */
  private int bf16Workers;
  /** Rounds run so far: each round's token, which a worker keeps with the state it returned. */
  private long roundsRun;
  /** The last one-worker round's result, which that worker's network still holds; {@code null} after other rounds. */
  private State kept;

  FusedAveraging(JavaSparkContext sc, MultiLayerConfiguration conf, TrainConfig config, long seed, int threadsPerWorker,
      int lanesPerWorker, ResourceProfile profile) {
    this.sc = sc;
    this.config = config;
    this.workerBatch = config.batchSize();
    this.spec = new WorkerSpec(java.util.UUID.randomUUID().toString(), conf.toJson(), threadsPerWorker, lanesPerWorker,
        config.precision());
    this.seed = seed;
    this.profile = profile;
  }

  /** What executors need to build this trainer's workers ahead of the first round ({@link WorkerWarmup}). */
  WorkerSpec spec() {
    return spec;
  }

  /**
   * Minibatches each worker fitted per round in the last epoch: {@code train.averagingFrequency} as resolved for the
   * workers and their shards ({@link AveragingFrequency#resolve}), 0 for one worker (one round per epoch), -1 before the
   * first epoch.
   */
  int resolvedFrequency() {
    return resolvedFrequency;
  }

  /**
   * The minibatch each worker fitted in the last epoch: {@code train.batchSize}, or for the {@code global} batch scope
   * its share over the workers holding examples ({@code ceil(batchSize / workers)}); {@code batchSize} before the first
   * epoch and for one worker.
   */
  int workerBatchSize() {
    return workerBatch;
  }

  /**
   * Workers that multiplied in bf16 in the last round that fitted examples ({@code train.precision} {@code bf16}, or
   * {@code auto} on a CPU with AVX-512 BF16); 0 before the first round and with {@code fp32}.
   */
  int bf16Workers() {
    return bf16Workers;
  }

  /** Mean of the workers' last minibatch losses in the last round. */
  double score() {
    return score;
  }

  /** Fits one epoch of {@code blocks} into {@code network} (parameters, Adam state, iteration count). */
  void fitEpoch(MultiLayerNetwork network, JavaRDD<ExampleBlock> blocks, int epoch) {
    // One worker: one round per epoch (see the class comment), which needs no count of the minibatches.
    boolean oneWorker = blocks.getNumPartitions() == 1;
    if (oneWorker) {
      workerBatch = config.batchSize();
    } else if (blocks.id() != batchesRdd) {
      // One Spark job per RDD of blocks, not per epoch: the blocks (cached by the caller) never change.
      List<Integer> sizes = blocks.map(ExampleBlock::size).collect();
      int workers = (int) Math.max(1, sizes.stream().filter(n -> n > 0).count());
      workerBatch = config.workerBatchSize(workers);
      maxBatches = (sizes.stream().mapToInt(Integer::intValue).max().orElse(0) + workerBatch - 1) / workerBatch;
      batchesRdd = blocks.id();
      if (config.globalBatch()) {
        LOG.info("Global batch {} over {} worker(s) holding examples: each fits minibatches of {}", config.batchSize(),
            workers, workerBatch);
      }
    }
    int averagingFrequency = config.averagingFrequency();
    int resolved = oneWorker ? 0
        : AveragingFrequency.resolve(averagingFrequency, Math.max(1, maxBatches), spec.lanes(), workerBatch);
    if (resolved != resolvedFrequency) {
      resolvedFrequency = resolved;
      if (oneWorker) {
        LOG.info("One worker: one averaging round per epoch");
      } else {
        LOG.info("Averaging every {} minibatches ({}{} per worker per epoch at most, {} lane(s) per worker, batch {})",
            resolved, averagingFrequency == AveragingFrequency.AUTO ? "auto: " : "", maxBatches, spec.lanes(),
            workerBatch);
      }
    }
    int frequency = oneWorker ? Integer.MAX_VALUE : resolved;
    long rounds = oneWorker ? 1 : (maxBatches + frequency - 1) / frequency;
    for (long round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      INDArray stateView = network.getUpdater().getStateViewArray();
      if (sendParams == null || sendParams.length != network.params().length()
          || sendUpdater.length != stateView.length()) {
        sendParams = new float[Math.toIntExact(network.params().length())];
        sendUpdater = new float[Math.toIntExact(stateView.length())];
      }
      // The send buffers are reused: the previous round's broadcast was destroyed and is read by nobody.
      State in = new State(FlatCopy.copyTo(network.params(), sendParams), FlatCopy.copyTo(stateView, sendUpdater),
          network.getIterationCount(), 0, 0, 0, 0);
      // The one worker's network holds the last result: if the driver's state is still exactly that (nobody changed
      // the network between epochs), the round sends only the token of the round that left it there.
      boolean keep = oneWorker && kept != null && Arrays.equals(in.params, kept.params)
          && Arrays.equals(in.updater, kept.updater);
      long token = ++roundsRun;
      RoundResult result = runRound(blocks, epoch, round, frequency, in, keep ? token - 1 : NO_TOKEN, token, t0);
      if (result.sum.missing > 0) {
        // The worker did not hold the state (see the class comment): run the round again with it.
        RoundResult missed = result;
        result = runRound(blocks, epoch, round, frequency, in, NO_TOKEN, token, System.nanoTime());
        result = new RoundResult(result.sum, missed.driverSeconds + result.driverSeconds,
            missed.jobSeconds + result.jobSeconds);
        keep = false;
      }
      State sum = result.sum;
      long t2 = System.nanoTime();
      kept = null;
      if (sum.workers == 0) {
        times = times.plus(new AveragingTimes(1, result.driverSeconds, result.jobSeconds, 0, 0, 0, keep ? 1 : 0));
        continue;
      }
      bf16Workers = sum.bf16Workers;
      float scale = 1f / sum.workers;
      FlatCopy.copyInto(scale(sum.params, scale), network.params());
      FlatCopy.copyInto(scale(sum.updater, scale), network.getUpdater().getStateViewArray());
      network.setIterationCount(in.iteration + (int) Math.round(sum.iteration / (double) sum.workers));
      score = sum.score / sum.workers;
      network.setScore(score);
      if (oneWorker && sum.workers == 1) {
        // Scaled by exactly 1: these arrays are the worker's network's state, which it keeps under this round's token.
        kept = sum;
      }
      times = times.plus(new AveragingTimes(1, result.driverSeconds + (System.nanoTime() - t2) / 1e9, result.jobSeconds,
          sum.workers, sum.fitSeconds, sum.copySeconds, keep ? 1 : 0));
    }
  }

  /** A round's sum over workers and the driver's wall time before and inside its Spark job(s). */
  private record RoundResult(State sum, double driverSeconds, double jobSeconds) {}

  /**
   * Runs one round's Spark job: with {@code heldToken} = {@link #NO_TOKEN} the state {@code in} is broadcast; otherwise
   * the workers continue from the state they kept under that token and answer {@link State#missing} if they have none.
   */
  private RoundResult runRound(JavaRDD<ExampleBlock> blocks, int epoch, long round, int frequency, State in,
      long heldToken, long token, long t0) {
    Broadcast<State> bc = heldToken == NO_TOKEN ? sc.broadcast(in) : null;
    WorkerSpec ws = spec;
    int bs = workerBatch;
    int freq = frequency;
    long sd = seed;
    int iteration = in.iteration;
    long r = round;
    long t1 = System.nanoTime();
    JavaRDD<State> fitted = blocks.mapPartitionsWithIndex((partition, it) -> fitRound(ws, bs, freq, sd, epoch, r,
        partition, it, bc == null ? null : bc.value(), iteration, heldToken, token), true);
    State sum = (profile == null ? fitted : fitted.withResources(profile))
        .treeAggregate(State.EMPTY, State::plus, State::plus, 2);
    if (bc != null) {
      bc.destroy();
    }
    return new RoundResult(sum, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
  }

  /** Where the rounds' time went so far. */
  AveragingTimes times() {
    return times;
  }

  private static float[] scale(float[] a, float s) {
    for (int i = 0; i < a.length; i++) {
      a[i] *= s;
    }
    return a;
  }

  /** The token of a round that sent its state: no worker needs to hold one. */
  static final long NO_TOKEN = -1;

  /**
   * Fits one partition's next {@code freq} minibatches from the state {@code in}, or, when {@code in} is {@code null},
   * from the state this executor's worker kept under {@code heldToken} ({@link State#MISSING} if it has none).
   */
  private static Iterator<State> fitRound(WorkerSpec spec, int batchSize, int freq, long seed, int epoch, long round,
      int partition, Iterator<ExampleBlock> it, State in, int iteration, long heldToken, long token) {
    if (!it.hasNext()) {
      return List.<State>of().iterator();
    }
    ExampleBlock block = it.next();
    Worker w = worker(spec, partition);
    if (in == null && w.heldToken != heldToken) {
      return List.of(State.MISSING).iterator();
    }
    int[] order = w.order(block, seed, epoch, partition);
    long from = round * freq * batchSize;
    if (from >= order.length) {
      return List.<State>of().iterator();
    }
    long t0 = System.nanoTime();
    // Until this round completes, the network holds no state that a later round could continue from.
    w.heldToken = NO_TOKEN;
    MultiLayerNetwork net = w.network;
    INDArray state = net.getUpdater().getStateViewArray();
    if (in != null) {
      FlatCopy.copyInto(in.params, net.params());
      FlatCopy.copyInto(in.updater, state);
    }
    net.setIterationCount(iteration);
    w.step.reloadUpdaterState();
    double last = Double.NaN;
    int fitted = 0;
    long t1 = System.nanoTime();
    for (int k = 0; k < freq && from < order.length; k++, from += batchSize) {
      last = w.step.fit(block, order, (int) from, (int) Math.min(batchSize, order.length - from));
      fitted++;
    }
    long t2 = System.nanoTime();
    w.step.flush();
    // The worker's result buffers are reused: Spark serializes a task's result before the task ends.
    float[] params = FlatCopy.copyTo(net.params(), w.params);
    float[] updater = FlatCopy.copyTo(state, w.updater);
    w.heldToken = token;
    long t3 = System.nanoTime();
    State out = new State(params, updater, fitted, last, 1, (t2 - t1) / 1e9, (t1 - t0 + t3 - t2) / 1e9);
    out.bf16Workers = w.step.precision() == MatmulPrecision.BF16 ? 1 : 0;
    return List.of(out).iterator();
  }

  /** This executor's worker for {@code partition} of the trainer {@code spec}: the one built ahead, or a new one. */
  private static Worker worker(WorkerSpec spec, int partition) {
    String key = spec.id() + "/" + partition;
    WORKERS.keySet().removeIf(k -> !k.startsWith(spec.id() + "/"));
    CompletableFuture<Worker> future = WORKERS.computeIfAbsent(key,
        k -> CompletableFuture.completedFuture(new Worker(spec)));
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      // The build ahead failed: build here, where a failure fails the task with its own cause.
      Worker w = new Worker(spec);
      WORKERS.put(key, CompletableFuture.completedFuture(w));
      return w;
    }
  }

  /**
   * Starts building this executor's worker for {@code partition} of the trainer {@code spec} on a background thread,
   * unless it exists or is being built. Called by executors while they encode the partition's examples.
   */
  static void prepareInBackground(WorkerSpec spec, int partition) {
    WORKERS.computeIfAbsent(spec.id() + "/" + partition,
        k -> CompletableFuture.supplyAsync(() -> new Worker(spec), BUILDER));
  }

  /** Whether this JVM has the worker for {@code partition} of the trainer {@code spec}, built or being built (tests). */
  static boolean hasWorker(WorkerSpec spec, int partition) {
    return WORKERS.containsKey(spec.id() + "/" + partition);
  }

  /** Drops this JVM's workers, as a new executor would start without them (tests). */
  static void dropWorkers() {
    WORKERS.clear();
  }

  /**
   * What an executor needs to build a trainer's workers: the trainer's id, its network configuration, BLAS threads
   * per worker, lanes per worker and {@code train.precision} (resolved by each worker for its own CPU).
   */
  record WorkerSpec(String id, String confJson, int threads, int lanes, String precision) implements Serializable {}

  /** A worker's network and fused step, kept in the executor between rounds. */
  private static final class Worker {
    final MultiLayerNetwork network;
    final FusedStep step;
    final float[] params;
    final float[] updater;
    int orderEpoch = -1;
    int[] order;
    /** Token of the round whose result the network holds, or {@link #NO_TOKEN}. */
    volatile long heldToken = NO_TOKEN;

    Worker(WorkerSpec spec) {
      // Lanes run one BLAS thread each.
      NativeThreads.set(spec.lanes() > 1 ? 1 : spec.threads());
      BlasKernels.checkBeforeTraining();
      network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(spec.confJson()));
      network.init();
      step = FusedStep.forNetwork(network, spec.lanes(), MatmulPrecision.resolve(spec.precision()));
      LOG.info("Worker {}: {}", spec.id(), step.precision().describe());
      params = new float[Math.toIntExact(network.params().length())];
      updater = new float[Math.toIntExact(network.getUpdater().getStateViewArray().length())];
    }

    int[] order(ExampleBlock block, long seed, int epoch, int partition) {
      if (orderEpoch != epoch || order.length != block.size()) {
        order = block.order(LocalTrainer.epochSeed(seed, epoch, partition));
        orderEpoch = epoch;
      }
      return order;
    }
  }

  /**
   * Parameters and Adam state of one worker after a round, or the sum over workers. Its float arrays are
   * serialized as raw bytes in one bulk write each (Java serialization writes a float array element by
   * element: about 20 ms for the bench model's 1.4 M floats, paid by every broadcast and task result).
   */
  static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The sum over no workers. */
    static final State EMPTY = new State(null, null, 0, 0, 0, 0, 0);
    /** A worker's answer to a round that sent no state when it holds none. */
    static final State MISSING = new State(null, null, 0, 0, 0, 0, 0, 1);

    transient float[] params;
    transient float[] updater;
    /** The driver's iteration count (broadcast) or minibatches fitted (sum over workers). */
    final int iteration;
    final double score;
    final int workers;
    /** Seconds in the fused steps, summed over workers. */
    final double fitSeconds;
    /** Seconds copying state into and out of the workers' networks, summed over workers. */
    final double copySeconds;
    /** Workers that could not run the round because they did not hold the state it continued from. */
    final int missing;
    /** Workers whose products were bf16 (summed like {@link #workers}). */
    int bf16Workers;

    State(float[] params, float[] updater, int iteration, double score, int workers, double fitSeconds,
        double copySeconds) {
      this(params, updater, iteration, score, workers, fitSeconds, copySeconds, 0);
    }

    private State(float[] params, float[] updater, int iteration, double score, int workers, double fitSeconds,
        double copySeconds, int missing) {
      this.missing = missing;
      this.params = params;
      this.updater = updater;
      this.iteration = iteration;
      this.score = score;
      this.workers = workers;
      this.fitSeconds = fitSeconds;
      this.copySeconds = copySeconds;
    }

    State plus(State o) {
      if (missing + o.missing > 0 && (workers == 0 || o.workers == 0)) {
        State full = workers == 0 ? o : this;
        State merged = new State(full.params, full.updater, full.iteration, full.score, full.workers, full.fitSeconds,
            full.copySeconds, missing + o.missing);
        merged.bf16Workers = full.bf16Workers;
        return merged;
      }
      if (o.workers == 0) {
        return this;
      }
      if (workers == 0) {
        return o;
      }
      float[] p = params.clone();
      float[] u = updater.clone();
      for (int i = 0; i < p.length; i++) {
        p[i] += o.params[i];
      }
      for (int i = 0; i < u.length; i++) {
        u[i] += o.updater[i];
      }
      State sum = new State(p, u, iteration + o.iteration, score + o.score, workers + o.workers,
          fitSeconds + o.fitSeconds, copySeconds + o.copySeconds, missing + o.missing);
      sum.bf16Workers = bf16Workers + o.bf16Workers;
      return sum;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
      out.defaultWriteObject();
      writeFloats(out, params);
      writeFloats(out, updater);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
      in.defaultReadObject();
      params = readFloats(in);
      updater = readFloats(in);
    }

    /** Floats per chunk of the raw-byte encoding (64 KiB): no array of the state's full size is allocated. */
    private static final int CHUNK = 16 * 1024;

    private static void writeFloats(java.io.ObjectOutputStream out, float[] a) throws java.io.IOException {
      out.writeInt(a == null ? -1 : a.length);
      if (a == null) {
        return;
      }
      byte[] bytes = new byte[Math.min(a.length, CHUNK) * Float.BYTES];
      java.nio.FloatBuffer view = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      for (int from = 0; from < a.length; from += CHUNK) {
        int n = Math.min(CHUNK, a.length - from);
        view.clear();
        view.put(a, from, n);
        out.write(bytes, 0, n * Float.BYTES);
      }
    }

    private static float[] readFloats(java.io.ObjectInputStream in) throws java.io.IOException {
      int length = in.readInt();
      if (length < 0) {
        return null;
      }
      float[] a = new float[length];
      byte[] bytes = new byte[Math.min(length, CHUNK) * Float.BYTES];
      java.nio.FloatBuffer view = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      for (int from = 0; from < length; from += CHUNK) {
        int n = Math.min(CHUNK, length - from);
        in.readFully(bytes, 0, n * Float.BYTES);
        view.clear();
        view.get(a, from, n);
      }
      return a;
    }
  }
}
