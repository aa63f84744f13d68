package dev.quill.spark.train;

import dev.quill.train.ExampleBlock;
import dev.quill.train.FlatCopy;
import dev.quill.train.FusedStep;
import dev.quill.train.LocalTrainer;
import dev.quill.train.BlasKernels;
import dev.quill.train.NativeThreads;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceProfile;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Synchronous parameter averaging (McDonald et al. 2010; Zinkevich et al. 2010, as in DL4J's
 * ParameterAveragingTrainingMaster) with a {@link FusedStep} on the workers (MLP or convolutional policy) and the examples kept in
 * each partition's cached {@link ExampleBlock}: nothing is exported, serialized or re-read per epoch.
 * Every round broadcasts the parameters and the Adam state as flat float arrays, each partition fits its
 * next {@code averagingFrequency} minibatches of its epoch order (the order {@link LocalTrainer} uses
 * for that partition) on a network kept in the executor between rounds, and the workers' parameters
 * and Adam state are summed by a tree reduction and averaged on the driver. With one partition it is
 * exactly {@link LocalTrainer}'s fused training, so then each epoch is one round: averaging one worker changes
 * nothing, and the rounds' broadcasts, task launches and copies would only cost time.
 *
 * <p>Each worker fits with {@code lanesPerWorker} data-parallel lanes ({@code FusedPolicyStep}'s lanes, one
 * thread and one BLAS thread each, one shared copy of the network) and computes each minibatch on all of them, so an
 * executor of {@code k} cores can run one worker instead of {@code k} averaged ones ({@link WorkerLanes}: on cluster
 * masters the training stage's tasks claim the lanes' cores through a task resource profile).
 *
 * <p>The per-round cost is kept to moving the state itself: parameters and Adam state go between ND4J and
 * Java arrays by one native copy each ({@link FlatCopy}), into buffers reused across rounds, and travel
 * as raw bytes ({@link State}); {@link #times()} says where each round's time went (README, Performance).
 */
final class FusedAveraging {
  /** Worker networks of live trainers in this JVM, by trainer id and partition. */
  private static final Map<String, Worker> WORKERS = new ConcurrentHashMap<>();

  private final JavaSparkContext sc;
  private final String id = java.util.UUID.randomUUID().toString();
  private final String confJson;
  private final int batchSize;
  private final int averagingFrequency;
  private final long seed;
  private final int threadsPerWorker;
  private final int lanesPerWorker;
  /** Task resource profile of the training stage (the lanes' cores), or {@code null} to schedule it as any stage. */
  private final ResourceProfile profile;
  private double score = Double.NaN;
  private AveragingTimes times = AveragingTimes.NONE;
  private float[] sendParams;
  private float[] sendUpdater;
  private int batchesRdd = -1;
  private long maxBatches;

  FusedAveraging(JavaSparkContext sc, MultiLayerConfiguration conf, int batchSize, int averagingFrequency, long seed,
      int threadsPerWorker, int lanesPerWorker, ResourceProfile profile) {
    this.sc = sc;
    this.confJson = conf.toJson();
    this.batchSize = batchSize;
    this.averagingFrequency = averagingFrequency;
    this.seed = seed;
    this.threadsPerWorker = threadsPerWorker;
    this.lanesPerWorker = lanesPerWorker;
    this.profile = profile;
  }

  /** Mean of the workers' last minibatch losses in the last round. */
  double score() {
    return score;
  }

  /** Fits one epoch of {@code blocks} into {@code network} (parameters, Adam state, iteration count). */
  void fitEpoch(MultiLayerNetwork network, JavaRDD<ExampleBlock> blocks, int epoch) {
    // One worker: one round per epoch (see the class comment), which needs no count of the minibatches.
    boolean oneWorker = blocks.getNumPartitions() == 1;
    if (!oneWorker && blocks.id() != batchesRdd) {
      // One Spark job per RDD of blocks, not per epoch: the blocks (cached by the caller) never change.
      int size = batchSize;
      maxBatches = blocks.map(b -> (long) Math.ceil(b.size() / (double) size)).reduce(Math::max);
      batchesRdd = blocks.id();
    }
    int frequency = oneWorker ? Integer.MAX_VALUE : averagingFrequency;
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
      Broadcast<State> bc = sc.broadcast(in);
      String key = id;
      String json = confJson;
      int bs = batchSize;
      int freq = frequency;
      long sd = seed;
      int threads = threadsPerWorker;
      int lanes = lanesPerWorker;
      long r = round;
      long t1 = System.nanoTime();
      JavaRDD<State> fitted = blocks.mapPartitionsWithIndex((partition, it) -> fitRound(key, json, bs, freq, sd, threads,
          lanes, epoch, r, partition, it, bc.value()), true);
      State sum = (profile == null ? fitted : fitted.withResources(profile))
          .treeAggregate(State.EMPTY, State::plus, State::plus, 2);
      bc.destroy();
      long t2 = System.nanoTime();
      if (sum.workers == 0) {
        times = times.plus(new AveragingTimes(1, (t1 - t0) / 1e9, (t2 - t1) / 1e9, 0, 0, 0));
        continue;
      }
      float scale = 1f / sum.workers;
      FlatCopy.copyInto(scale(sum.params, scale), network.params());
      FlatCopy.copyInto(scale(sum.updater, scale), network.getUpdater().getStateViewArray());
      network.setIterationCount(in.iteration + (int) Math.round(sum.iteration / (double) sum.workers));
      score = sum.score / sum.workers;
      network.setScore(score);
      times = times.plus(new AveragingTimes(1, (t1 - t0 + System.nanoTime() - t2) / 1e9, (t2 - t1) / 1e9, sum.workers,
          sum.fitSeconds, sum.copySeconds));
    }
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

  private static Iterator<State> fitRound(String id, String confJson, int batchSize, int freq, long seed, int threads,
      int lanes, int epoch, long round, int partition, Iterator<ExampleBlock> it, State in) {
    if (!it.hasNext()) {
      return List.<State>of().iterator();
    }
    ExampleBlock block = it.next();
    Worker w = WORKERS.compute(id + "/" + partition, (k, old) -> old != null ? old : new Worker(confJson, threads, lanes));
    WORKERS.keySet().removeIf(k -> !k.startsWith(id + "/"));
    int[] order = w.order(block, seed, epoch, partition);
    long from = round * freq * batchSize;
    if (from >= order.length) {
      return List.<State>of().iterator();
    }
    long t0 = System.nanoTime();
    MultiLayerNetwork net = w.network;
    FlatCopy.copyInto(in.params, net.params());
    INDArray state = net.getUpdater().getStateViewArray();
    FlatCopy.copyInto(in.updater, state);
    net.setIterationCount(in.iteration);
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
    long t3 = System.nanoTime();
    return List.of(new State(params, updater, fitted, last, 1, (t2 - t1) / 1e9, (t1 - t0 + t3 - t2) / 1e9)).iterator();
  }

  /** A worker's network and fused step, kept in the executor between rounds. */
  private static final class Worker {
    final MultiLayerNetwork network;
    final FusedStep step;
    final float[] params;
    final float[] updater;
    int orderEpoch = -1;
    int[] order;

    Worker(String confJson, int threads, int lanes) {
      // Lanes run one BLAS thread each.
      NativeThreads.set(lanes > 1 ? 1 : threads);
      BlasKernels.checkBeforeTraining();
      network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson));
      network.init();
      step = FusedStep.forNetwork(network, lanes);
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

    State(float[] params, float[] updater, int iteration, double score, int workers, double fitSeconds,
        double copySeconds) {
      this.params = params;
      this.updater = updater;
      this.iteration = iteration;
      this.score = score;
      this.workers = workers;
      this.fitSeconds = fitSeconds;
      this.copySeconds = copySeconds;
    }

    State plus(State o) {
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
      return new State(p, u, iteration + o.iteration, score + o.score, workers + o.workers, fitSeconds + o.fitSeconds,
          copySeconds + o.copySeconds);
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
