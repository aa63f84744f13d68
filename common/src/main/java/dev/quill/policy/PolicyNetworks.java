package dev.quill.policy;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** Builds the DL4J network configurations of Quill's policy heads. */
public final class PolicyNetworks {
  private PolicyNetworks() {}

  /**
   * The factorized token policy: an MLP trunk of ReLU layers ({@code hidden} widths) and one output
   * layer of {@code actionDim * numBins} logits trained with {@link FactorizedTokenCrossEntropy}.
   *
   * @param dataType {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks
   */
  public static MultiLayerConfiguration factorized(int stateDim, int actionDim, int numBins, List<Integer> hidden,
      IUpdater updater, long seed, DataType dataType) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(dataType)
        .updater(updater)
        .weightInit(WeightInit.RELU)
        .list();
    int in = stateDim;
    for (int width : hidden) {
      list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU).build());
      in = width;
    }
    list.layer(new OutputLayer.Builder(new FactorizedTokenCrossEntropy(actionDim, numBins))
        .nIn(in).nOut((long) actionDim * numBins)
        .activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER)
        .build());
    return list.build();
  }

  /** The factorized policy for {@code config} in single precision. */
  public static MultiLayerConfiguration factorized(int stateDim, int actionDim, int numBins, TrainConfig config, long seed) {
    return factorized(stateDim, actionDim, numBins, config.hidden(), new Adam(config.learningRate()), seed, DataType.FLOAT);
  }
}
