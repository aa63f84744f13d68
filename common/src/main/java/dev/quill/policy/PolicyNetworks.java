package dev.quill.policy;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import dev.quill.task.image.ImageShape;
import dev.quill.util.Seeds;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * Builds the DL4J network configurations of Quill's policy heads. Every head shares the trunk: ReLU
 * dense layers of widths {@code train.hidden} on the normalized state (DL4J {@code DenseLayer}, weights
 * {@code W} of shape {@code [nIn, nOut]}, output {@code relu(x W + b)}).
 *
 * <ul>
 *   <li>{@code factorized}: {@link #factorized} (MultiLayerNetwork; last layer: {@code D * B} logits).
 *   <li>{@code codebook}: the same network with {@code D = 1} and {@code B = K}: one softmax over the K
 *       codes of a one-stage k-means codebook (VQ-BeT's code prediction without the offset head).
 *   <li>{@code autoregressive}: {@link #autoregressive} (ComputationGraph), layout below.
 *   <li>{@code continuous}: {@link #continuous} (MultiLayerNetwork; last layer: {@code D} outputs, MSE on
 *       the action normalized with {@code stats.json}'s action mean and std).
 * </ul>
 *
 * <p><b>Autoregressive layout</b> (for runtimes that reimplement it). Inputs: {@code state} {@code [n,
 * S]} (normalized) and {@code prev} {@code [n, D*B]}: the one-hot encodings of the tokens of dimensions
 * {@code 0..D-1}, block {@code i} (columns {@code [i*B, (i+1)*B)}) the one-hot of {@code token_i}. Vertices:
 * {@code trunk0..trunk{L-1}} (ReLU dense layers on {@code state}, giving {@code h}); {@code heads}
 * (dense, identity, {@code W: [H, D*B]}, {@code b: [D*B]}); for every {@code j >= 1}, {@code emb_j}
 * (dense, identity, no bias, {@code W: [j*B, B]}) applied to {@code prev}'s first {@code j} blocks. Then
 * <pre>
 *   logits_j = (h W_heads + b_heads)[j*B, (j+1)*B) + sum_{i&lt;j} E_{j,i}[token_i]
 *   E_{j,i}[t] = row (i*B + t) of emb_j's W
 * </pre>
 * i.e. the suggested {@code W_j h(s) + b_j + sum_{i<j} E_{j,i}[token_i]} with a block strictly lower
 * triangular interaction (block j never reads tokens {@code >= j}: {@code prev}'s blocks {@code >= j} only
 * feed later dimensions). {@code logits} merges {@code logits_0..logits_{D-1}} to {@code [n, D*B]}, and the
 * output {@code out} is a parameter-free {@code LossLayer} with {@link FactorizedTokenCrossEntropy}. In
 * training {@code prev} holds the expert's tokens (teacher forcing), so the loss is the exact
 * chain-rule log-likelihood {@code -(1/D) sum_j log p(token_j | s, token_<j)}. At inference tokens are
 * decoded in order {@code j = 0..D-1}, each from {@code logits_j} with the tokens chosen so far in
 * {@code prev} (greedy or sampled, {@code train.decoding}); blocks not decoded yet are zero and are never
 * read by the dimension being decoded. {@code emb_j} is initialized to zero, so an untrained
 * autoregressive head computes exactly the factorized head's logits from the same trunk and
 * {@code heads} weights.
 */
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
    return factorized(stateDim, actionDim, numBins, hidden, updater, seed, dataType, "dl4j");
  }

  /**
   * The factorized token policy with weight initialization {@code init} ({@link TrainConfig#init}):
   * {@code dl4j} (He-normal hidden layers, Xavier output layer) or {@code torch} (every layer's weights
   * {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}, the bound of PyTorch's {@code nn.Linear}, Paszke et al. 2019);
   * biases start at 0.
   *
   * @param dataType {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks
   * @throws IllegalArgumentException naming {@code train.init} for another value
   */
  public static MultiLayerConfiguration factorized(int stateDim, int actionDim, int numBins, List<Integer> hidden,
      IUpdater updater, long seed, DataType dataType, String init) {
    if (!TrainConfig.INITS.contains(init)) {
      throw new IllegalArgumentException("train.init is '" + init + "', allowed: " + TrainConfig.INITS);
    }
    boolean torch = "torch".equals(init);
    NeuralNetConfiguration.ListBuilder list = base(updater, seed, dataType).list();
    int in = stateDim;
    for (int width : hidden) {
      DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU);
      if (torch) {
        layer.weightInit(torchInit(in));
      }
      list.layer(layer.build());
      in = width;
    }
    OutputLayer.Builder output = new OutputLayer.Builder(new FactorizedTokenCrossEntropy(actionDim, numBins))
        .nIn(in).nOut((long) actionDim * numBins)
        .activation(Activation.IDENTITY);
    if (torch) {
      output.weightInit(torchInit(in));
    } else {
      output.weightInit(WeightInit.XAVIER);
    }
    list.layer(output.build());
    return list.build();
  }

  /** PyTorch's {@code nn.Linear} weight distribution for {@code fanIn} inputs. */
  private static WeightInitDistribution torchInit(int fanIn) {
    double bound = 1 / Math.sqrt(fanIn);
    return new WeightInitDistribution(new UniformDistribution(-bound, bound));
  }

  /** The factorized policy for {@code config} in single precision. */
  public static MultiLayerConfiguration factorized(int stateDim, int actionDim, int numBins, TrainConfig config, long seed) {
    return factorized(stateDim, actionDim, numBins, config.hidden(), new Adam(config.learningRate()), seed, DataType.FLOAT,
        config.init());
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
    NeuralNetConfiguration.ListBuilder list = base(updater, seed, dataType).list();
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

  /**
   * The factorized/codebook policy network {@code config.network()} selects, in single precision: the MLP
   * ({@link #factorized}) or, for image observations, {@link #conv}.
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

  /**
   * The autoregressive token policy over action dimensions (layout in the class comment): inputs
   * {@code state} and {@code prev}, output {@code out} with {@code actionDim * numBins} logits.
   *
   * @param dataType {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks
   */
  public static ComputationGraphConfiguration autoregressive(int stateDim, int actionDim, int numBins, List<Integer> hidden,
      IUpdater updater, long seed, DataType dataType) {
    ComputationGraphConfiguration.GraphBuilder g = base(updater, seed, dataType)
        .graphBuilder()
        .addInputs(INPUT_STATE, INPUT_PREV);
    String last = INPUT_STATE;
    int in = stateDim;
    for (int l = 0; l < hidden.size(); l++) {
      g.addLayer("trunk" + l, new DenseLayer.Builder().nIn(in).nOut(hidden.get(l)).activation(Activation.RELU).build(), last);
      last = "trunk" + l;
      in = hidden.get(l);
    }
    g.addLayer("heads", new DenseLayer.Builder().nIn(in).nOut((long) actionDim * numBins).activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER).build(), last);
    String logits = "heads";
    if (actionDim > 1) {
      String[] parts = new String[actionDim];
      parts[0] = "head_0";
      g.addVertex("head_0", new SubsetVertex(0, numBins - 1), "heads");
      for (int j = 1; j < actionDim; j++) {
        g.addVertex("prev_" + j, new SubsetVertex(0, j * numBins - 1), INPUT_PREV);
        g.addLayer("emb_" + j, new DenseLayer.Builder().nIn((long) j * numBins).nOut(numBins).hasBias(false)
            .activation(Activation.IDENTITY).weightInit(WeightInit.ZERO).build(), "prev_" + j);
        g.addVertex("head_" + j, new SubsetVertex(j * numBins, (j + 1) * numBins - 1), "heads");
        g.addVertex("logits_" + j, new ElementWiseVertex(ElementWiseVertex.Op.Add), "head_" + j, "emb_" + j);
        parts[j] = "logits_" + j;
      }
      g.addVertex("logits", new MergeVertex(), parts);
      logits = "logits";
    }
    g.addLayer(OUTPUT, new LossLayer.Builder(new FactorizedTokenCrossEntropy(actionDim, numBins))
        .activation(Activation.IDENTITY).build(), logits);
    return g.setOutputs(OUTPUT).build();
  }

  /**
   * The continuous regression baseline: the MLP trunk and an identity output layer of {@code actionDim}
   * values trained with mean squared error on the normalized action ({@code (a - mean) / std} per
   * dimension, {@code stats.json}'s action statistics).
   */
  public static MultiLayerConfiguration continuous(int stateDim, int actionDim, List<Integer> hidden, IUpdater updater,
      long seed, DataType dataType) {
    NeuralNetConfiguration.ListBuilder list = base(updater, seed, dataType).list();
    int in = stateDim;
    for (int width : hidden) {
      list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU).build());
      in = width;
    }
    list.layer(new OutputLayer.Builder(new LossMSE()).nIn(in).nOut(actionDim).activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER).build());
    return list.build();
  }

  /** Name of the autoregressive graph's state input. */
  public static final String INPUT_STATE = "state";
  /** Name of the autoregressive graph's one-hot token input. */
  public static final String INPUT_PREV = "prev";
  /** Name of the autoregressive graph's output. */
  public static final String OUTPUT = "out";

  /** The settings every policy network shares: seed, data type, updater and He initialization for ReLU layers. */
  private static NeuralNetConfiguration.Builder base(IUpdater updater, long seed, DataType dataType) {
    return new NeuralNetConfiguration.Builder()
        .seed(Seeds.forDl4j(seed))
        .dataType(dataType)
        .updater(updater)
        .weightInit(WeightInit.RELU);
  }
}
