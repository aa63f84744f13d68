package dev.quill.train;

import dev.quill.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Single-JVM training of a policy network: every epoch cuts the examples into freshly shuffled
 * minibatches (seed derived from the training seed and the epoch) and fits them in order. This is the
 * reference the Spark trainer is checked against, and the fastest path on one machine.
 */
public final class LocalTrainer {
  private LocalTrainer() {}

  /**
   * Fits {@code network} for {@code epochs} epochs, with a {@link FusedStep} where one supports the
   * network (MLP or convolutional policy) and DL4J's {@code fit} otherwise (same minibatches, same result up to float rounding).
   *
   * @param heldout examples to score after each epoch, or {@code null}
   * @param onEpoch called after each epoch (progress reporting); may be {@code null}
   */
  public static List<EpochStats> fit(MultiLayerNetwork network, ExampleBlock examples, int batchSize, int epochs, long seed,
      DataSet heldout, Consumer<EpochStats> onEpoch) {
    return fit(network, examples, batchSize, epochs, seed, heldout, onEpoch,
        FusedStep.unsupportedReason(network).isEmpty());
  }

  /**
   * Fits {@code network} for {@code epochs} epochs, with {@link FusedStep#forNetwork} when {@code fused}
   * (which must then support the network), else with DL4J's {@code fit} on {@link DataSet} minibatches.
   * Both paths see the same minibatches in the same order.
   */
  public static List<EpochStats> fit(MultiLayerNetwork network, ExampleBlock examples, int batchSize, int epochs, long seed,
      DataSet heldout, Consumer<EpochStats> onEpoch, boolean fused) {
    return fit(network, examples, batchSize, epochs, seed, heldout, onEpoch, fused ? FusedStep.forNetwork(network) : null);
  }

  /**
   * Fits {@code network} for {@code epochs} epochs with {@code step} (built for {@code network}; callers
   * keep it to read its profile), or with DL4J's {@code fit} when {@code step} is {@code null}.
   */
  public static List<EpochStats> fit(MultiLayerNetwork network, ExampleBlock examples, int batchSize, int epochs, long seed,
      DataSet heldout, Consumer<EpochStats> onEpoch, FusedStep step) {
    BlasKernels.checkBeforeTraining();
    List<EpochStats> stats = new ArrayList<>();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long start;
      if (step != null) {
        start = System.nanoTime();
        int[] order = examples.order(epochSeed(seed, epoch, 0));
        for (int from = 0; from < order.length; from += batchSize) {
          step.fit(examples, order, from, Math.min(batchSize, order.length - from));
        }
        step.flush();
      } else {
        List<DataSet> batches = examples.toMinibatches(batchSize, epochSeed(seed, epoch, 0));
        start = System.nanoTime();
        for (DataSet batch : batches) {
          network.fit(batch);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double heldoutLoss = heldout == null ? Double.NaN : network.score(heldout, false);
      EpochStats s = new EpochStats(epoch, network.score(), heldoutLoss, seconds, examples.size());
      stats.add(s);
      if (onEpoch != null) {
        onEpoch.accept(s);
      }
    }
    return stats;
  }

  /** Shuffle seed of partition {@code partition} in epoch {@code epoch}. */
  public static long epochSeed(long seed, int epoch, int partition) {
    return Seeds.derive(Seeds.derive(seed, Seeds.TRAIN, epoch), Seeds.TRAIN, partition);
  }
}
