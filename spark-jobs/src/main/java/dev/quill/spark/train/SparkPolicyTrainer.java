package dev.quill.spark.train;

import dev.quill.policy.TrainConfig;
import dev.quill.train.ExampleBlock;
import dev.quill.train.LocalTrainer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains a policy network by DL4J parameter averaging (ParameterAveragingTrainingMaster): each worker
 * fits {@code averagingFrequency} minibatches of {@code batchSize}, then parameters and Adam state are
 * averaged. Examples stay on the executors as cached {@link ExampleBlock}s (one per partition) and are
 * re-cut into shuffled minibatches every epoch.
 *
 * <p>Not thread-safe; one trainer per Spark application.
 */
public final class SparkPolicyTrainer {
  private final SparkDl4jMultiLayer sparkNet;
  private final TrainConfig config;
  private final long seed;

  /**
   * Creates a trainer.
   *
   * @param approach {@code export} or {@code direct} (already resolved from {@code auto})
   * @param exportDirectory URI of a scratch folder for the export approach
   */
  public SparkPolicyTrainer(JavaSparkContext sc, MultiLayerConfiguration conf, TrainConfig config, long seed,
      String approach, String exportDirectory) {
    ParameterAveragingTrainingMaster.Builder tm = new ParameterAveragingTrainingMaster.Builder(config.batchSize())
        .batchSizePerWorker(config.batchSize())
        .averagingFrequency(config.averagingFrequency())
        .workerPrefetchNumBatches(2)
        .saveUpdater(true)
        .rngSeed(seed)
        .repartionData(Repartition.NumPartitionsWorkersDiffers)
        .rddTrainingApproach("direct".equals(approach) ? RDDTrainingApproach.Direct : RDDTrainingApproach.Export);
    if ("export".equals(approach)) {
      tm.exportDirectory(exportDirectory);
    }
    this.sparkNet = new SparkDl4jMultiLayer(sc, conf, tm.build());
    this.config = config;
    this.seed = seed;
  }

  /** Resolves {@code auto}: export for {@code local} masters (fastest there), direct elsewhere. */
  public static String resolveApproach(String approach, String master) {
    if (!"auto".equals(approach)) {
      return approach;
    }
    return master.equals("local") || master.startsWith("local[") ? "export" : "direct";
  }

  /** The driver-side network, updated after every {@link #fitEpoch} or {@link #fit} call. */
  public MultiLayerNetwork network() {
    return sparkNet.getNetwork();
  }

  /** Replaces the network's parameters and updater state (warm start, resume). */
  public void setNetwork(MultiLayerNetwork network) {
    sparkNet.setNetwork(network);
  }

  /** The last training loss reported by the workers. */
  public double score() {
    return sparkNet.getScore();
  }

  /** Fits one epoch: every block is cut into minibatches shuffled with the epoch's seed. */
  public void fitEpoch(JavaRDD<ExampleBlock> blocks, int epoch) {
    sparkNet.fit(blocks.mapPartitionsWithIndex(new Minibatches(config.batchSize(), seed, epoch), true));
  }

  /** Fits the given minibatches as one parameter-averaging round (tests use single minibatches). */
  public void fit(JavaRDD<DataSet> minibatches) {
    sparkNet.fit(minibatches);
  }

  /** Cuts each partition's block into shuffled minibatches on the executor. */
  private static final class Minibatches implements Function2<Integer, Iterator<ExampleBlock>, Iterator<DataSet>> {
    private static final long serialVersionUID = 1L;
    private final int batchSize;
    private final long seed;
    private final int epoch;

    Minibatches(int batchSize, long seed, int epoch) {
      this.batchSize = batchSize;
      this.seed = seed;
      this.epoch = epoch;
    }

    @Override
    public Iterator<DataSet> call(Integer partition, Iterator<ExampleBlock> blocks) {
      List<DataSet> out = new ArrayList<>();
      while (blocks.hasNext()) {
        out.addAll(blocks.next().toMinibatches(batchSize, LocalTrainer.epochSeed(seed, epoch, partition)));
      }
      return out.iterator();
    }
  }
}
