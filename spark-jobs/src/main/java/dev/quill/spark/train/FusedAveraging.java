package dev.quill.spark.train;

import dev.quill.train.ExampleBlock;
import dev.quill.train.FusedStep;
import dev.quill.train.LocalTrainer;
import dev.quill.train.NativeThreads;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synchronous parameter averaging (McDonald et al. 2010; Zinkevich et al. 2010, as in DL4J's
 * ParameterAveragingTrainingMaster) with a {@link FusedStep} on the workers (MLP or convolutional policy) and the examples kept in
 * each partition's cached {@link ExampleBlock}: nothing is exported, serialized or re-read per epoch.
 * Every round broadcasts the parameters and the Adam state as flat float arrays, each partition fits its
 * next {@code averagingFrequency} minibatches of its epoch order (the order {@link LocalTrainer} uses
 * for that partition) on a network kept in the executor between rounds, and the workers' parameters
 * and Adam state are summed by a tree reduction and averaged on the driver. With one partition it is
 * exactly {@link LocalTrainer}'s fused training.
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
  private double score = Double.NaN;
  private int batchesRdd = -1;
  private long maxBatches;

  FusedAveraging(JavaSparkContext sc, MultiLayerConfiguration conf, int batchSize, int averagingFrequency, long seed,
      int threadsPerWorker) {
    this.sc = sc;
    this.confJson = conf.toJson();
    this.batchSize = batchSize;
    this.averagingFrequency = averagingFrequency;
    this.seed = seed;
    this.threadsPerWorker = threadsPerWorker;
  }

  /** Mean of the workers' last minibatch losses in the last round. */
  double score() {
    return score;
  }

  /** Fits one epoch of {@code blocks} into {@code network} (parameters, Adam state, iteration count). */
  void fitEpoch(MultiLayerNetwork network, JavaRDD<ExampleBlock> blocks, int epoch) {
    if (blocks.id() != batchesRdd) {
      // One Spark job per RDD of blocks, not per epoch: the blocks (cached by the caller) never change.
      int size = batchSize;
      maxBatches = blocks.map(b -> (long) Math.ceil(b.size() / (double) size)).reduce(Math::max);
      batchesRdd = blocks.id();
    }
    long rounds = (maxBatches + averagingFrequency - 1) / averagingFrequency;
    for (long round = 0; round < rounds; round++) {
      State in = new State(network.params().dup().data().asFloat(), network.getUpdater().getStateViewArray().dup().data()
          .asFloat(), network.getIterationCount(), 0, 0);
      Broadcast<State> bc = sc.broadcast(in);
      String key = id;
      String json = confJson;
      int bs = batchSize;
      int freq = averagingFrequency;
      long sd = seed;
      int threads = threadsPerWorker;
      long r = round;
      State sum = blocks.mapPartitionsWithIndex((partition, it) -> fitRound(key, json, bs, freq, sd, threads, epoch, r,
          partition, it, bc.value()), true).treeAggregate(State.EMPTY, State::plus, State::plus, 2);
      bc.destroy();
      if (sum.workers == 0) {
        continue;
      }
      float scale = 1f / sum.workers;
      network.params().assign(Nd4j.createFromArray(scale(sum.params, scale)).reshape(network.params().shape()));
      org.nd4j.linalg.api.ndarray.INDArray state = network.getUpdater().getStateViewArray();
      state.assign(Nd4j.createFromArray(scale(sum.updater, scale)).reshape(state.shape()));
      network.setIterationCount(in.iteration + (int) Math.round(sum.iteration / (double) sum.workers));
      score = sum.score / sum.workers;
      network.setScore(score);
    }
  }

  private static float[] scale(float[] a, float s) {
    for (int i = 0; i < a.length; i++) {
      a[i] *= s;
    }
    return a;
  }

  private static Iterator<State> fitRound(String id, String confJson, int batchSize, int freq, long seed, int threads,
      int epoch, long round, int partition, Iterator<ExampleBlock> it, State in) {
    if (!it.hasNext()) {
      return List.<State>of().iterator();
    }
    ExampleBlock block = it.next();
    Worker w = WORKERS.compute(id + "/" + partition, (k, old) -> old != null ? old : new Worker(confJson, threads));
    WORKERS.keySet().removeIf(k -> !k.startsWith(id + "/"));
    int[] order = w.order(block, seed, epoch, partition);
    long from = round * freq * batchSize;
    if (from >= order.length) {
      return List.<State>of().iterator();
    }
    MultiLayerNetwork net = w.network;
    net.params().assign(Nd4j.createFromArray(in.params).reshape(net.params().shape()));
    org.nd4j.linalg.api.ndarray.INDArray state = net.getUpdater().getStateViewArray();
    state.assign(Nd4j.createFromArray(in.updater).reshape(state.shape()));
    net.setIterationCount(in.iteration);
    w.step.reloadUpdaterState();
    double last = Double.NaN;
    int fitted = 0;
    for (int k = 0; k < freq && from < order.length; k++, from += batchSize) {
      last = w.step.fit(block, order, (int) from, (int) Math.min(batchSize, order.length - from));
      fitted++;
    }
    w.step.flush();
    return List.of(new State(net.params().dup().data().asFloat(), state.dup().data().asFloat(), fitted, last, 1))
        .iterator();
  }

  /** A worker's network and fused step, kept in the executor between rounds. */
  private static final class Worker {
    final MultiLayerNetwork network;
    final FusedStep step;
    int orderEpoch = -1;
    int[] order;

    Worker(String confJson, int threads) {
      NativeThreads.set(threads);
      network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson));
      network.init();
      step = FusedStep.forNetwork(network);
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
   * Parameters and Adam state of one worker after a round, or the sum over workers.
   *
   * @param iteration the driver's iteration count (broadcast) or minibatches fitted (sum over workers)
   */
  record State(float[] params, float[] updater, int iteration, double score, int workers) implements Serializable {
    /** The sum over no workers. */
    static final State EMPTY = new State(null, null, 0, 0, 0);

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
      return new State(p, u, iteration + o.iteration, score + o.score, workers + o.workers);
    }
  }
}
