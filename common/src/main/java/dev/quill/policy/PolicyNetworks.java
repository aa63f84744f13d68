package dev.quill.policy;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import dev.quill.task.image.ImageShape;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** Builds the DL4J network configurations of Quill's policy heads. */
public final class PolicyNetworks {
  /** Kernel size of the convolution layers of {@code conv} networks. */
  public static final int KERNEL = 3;
  /** Stride of the convolution layers (each halves the image, rounding up). */
  public static final int STRIDE = 2;

  private PolicyNetworks() {}

  /**
   * The factorized token policy: an MLP trunk of ReLU layers ({@code hidden} widths) and one output
   * layer of {@code actionDim * numBins} logits trained with {@link FactorizedTokenCrossEntropy}.
   *
   * @param dataType {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks
   */
  public static MultiLayerConfiguration factorized(int stateDim, int actionDim, int numBins, List<Integer> hidden,
      IUpdater updater, long seed, DataType dataType) {
    NeuralNetConfiguration.ListBuilder list = builder(updater, seed, dataType);
    int in = stateDim;
    for (int width : hidden) {
      list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU).build());
      in = width;
    }
    list.layer(output(in, actionDim, numBins));
    return list.build();
  }

  /**
   * The factorized token policy on image observations: {@code convChannels.size()} convolution layers
   * ({@value #KERNEL}x{@value #KERNEL}, stride {@value #STRIDE}, padding 1, ReLU; the first sees the image's channels),
   * then dense ReLU layers ({@code hidden}) and the factorized output layer. The input is the flat
   * channel-major state ({@link ImageShape}), reshaped by DL4J's {@code InputType.convolutionalFlat}
   * preprocessor, so the policy's forward pass and the trainer use flat vectors as for the MLP.
   *
   * @param dataType {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks
   */
  public static MultiLayerConfiguration conv(ImageShape image, int actionDim, int numBins, List<Integer> convChannels,
      List<Integer> hidden, IUpdater updater, long seed, DataType dataType) {
    NeuralNetConfiguration.ListBuilder list = builder(updater, seed, dataType);
    for (int channels : convChannels) {
      list.layer(new ConvolutionLayer.Builder(KERNEL, KERNEL).stride(STRIDE, STRIDE).padding(1, 1)
          .nOut(channels).activation(Activation.RELU).build());
    }
    for (int width : hidden) {
      list.layer(new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build());
    }
    list.layer(new OutputLayer.Builder(new FactorizedTokenCrossEntropy(actionDim, numBins))
        .nOut((long) actionDim * numBins)
        .activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER)
        .build());
    list.setInputType(InputType.convolutionalFlat(image.height(), image.width(), image.channels()));
    return list.build();
  }

  /** The factorized policy for {@code config} in single precision (an MLP on the flat state). */
  public static MultiLayerConfiguration factorized(int stateDim, int actionDim, int numBins, TrainConfig config, long seed) {
    return factorized(stateDim, actionDim, numBins, config.hidden(), new Adam(config.learningRate()), seed, DataType.FLOAT);
  }

  /**
   * The policy network {@code config.network()} selects, in single precision.
   *
   * @param image the image shape of the states, required for {@code conv}
   * @throws IllegalArgumentException naming {@code train.network} when {@code conv} is asked for without an image
   *     shape, or the shape does not match {@code stateDim}
   */
  public static MultiLayerConfiguration forConfig(int stateDim, ImageShape image, int actionDim, int numBins,
      TrainConfig config, long seed) {
    if (config.network().equals("mlp")) {
      return factorized(stateDim, actionDim, numBins, config, seed);
    }
    if (image == null || image.size() != stateDim) {
      throw new IllegalArgumentException("train.network conv needs image observations (task.observation: image) whose "
          + "size matches the dataset's state dimension " + stateDim + ", got " + (image == null ? "state vectors" : image));
    }
    return conv(image, actionDim, numBins, config.convChannels(), config.hidden(), new Adam(config.learningRate()), seed,
        DataType.FLOAT);
  }

  private static NeuralNetConfiguration.ListBuilder builder(IUpdater updater, long seed, DataType dataType) {
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(dataType)
        .updater(updater)
        .weightInit(WeightInit.RELU)
        .list();
  }

  private static OutputLayer output(int in, int actionDim, int numBins) {
    return new OutputLayer.Builder(new FactorizedTokenCrossEntropy(actionDim, numBins))
        .nIn(in).nOut((long) actionDim * numBins)
        .activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER)
        .build();
  }
}
