package dev.quill.train;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.AdamUpdater;

/** Which networks {@link FusedConvStep} computes exactly as DL4J's {@code fit} would. */
final class FusedConvSupport {
  private FusedConvSupport() {}

  /**
   * Why {@link FusedConvStep} cannot train {@code network}, or empty if it can: float parameters; a flat
   * input reshaped by a {@link FeedForwardToCnnPreProcessor}; one or more {@link ConvolutionLayer}s (NCHW,
   * dilation 1, {@code Truncate} or {@code Strict} mode, ReLU, with bias); a {@link CnnToFeedForwardPreProcessor};
   * dense ReLU layers; an identity output layer with {@link FactorizedTokenCrossEntropy} or
   * {@link dev.quill.loss.DistilledTokenCrossEntropy}; one Adam updater for all parameters; no weight noise but
   * {@link dev.quill.nn.qat.FakeQuantWeights}; no LSQ activation layers, dropout, constraints, regularization or
   * gradient normalization.
   */
  static Optional<String> unsupportedReason(MultiLayerNetwork network) {
    if (network.params() == null || network.params().dataType() != DataType.FLOAT) {
      return Optional.of("parameters must be initialized FLOAT");
    }
    int n = network.getnLayers();
    int convs = convLayers(network);
    if (convs == 0) {
      return Optional.of("layer 0 is not a ConvolutionLayer");
    }
    if (!(network.getLayerWiseConfigurations().getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor)) {
      return Optional.of("layer 0 has no FeedForwardToCnnPreProcessor (flat image input)");
    }
    for (int i = 0; i < n; i++) {
      NeuralNetConfiguration nc = network.getLayer(i).conf();
      org.deeplearning4j.nn.conf.layers.Layer conf = nc.getLayer();
      boolean last = i == n - 1;
      Optional<String> lsq = StudentSupport.lsqReason(i, conf);
      if (lsq.isPresent()) {
        return lsq;
      }
      InputPreProcessor pre = network.getLayerWiseConfigurations().getInputPreProcess(i);
      if (i < convs) {
        ConvolutionLayer c = (ConvolutionLayer) conf;
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW || c.getDilation()[0] != 1 || c.getDilation()[1] != 1
            || !(c.getConvolutionMode() == ConvolutionMode.Truncate || c.getConvolutionMode() == ConvolutionMode.Strict)
            || !c.hasBias()) {
          return Optional.of("convolution layer " + i + " is not NCHW, dilation 1, Truncate/Strict mode with bias");
        }
        if (i > 0 && pre != null) {
          return Optional.of("convolution layer " + i + " has an input preprocessor");
        }
      } else if (last ? !(conf instanceof OutputLayer) : conf.getClass() != DenseLayer.class) {
        return Optional.of("layer " + i + " is " + conf.getClass().getSimpleName() + ", expected "
            + (last ? "OutputLayer" : "ConvolutionLayer or DenseLayer"));
      } else if (i == convs ? !(pre instanceof CnnToFeedForwardPreProcessor p && p.getFormat() == CNN2DFormat.NCHW)
          : pre != null) {
        return Optional.of("layer " + i + " has preprocessor " + pre + ", expected "
            + (i == convs ? "an NCHW CnnToFeedForwardPreProcessor" : "none"));
      }
      BaseLayer base = (BaseLayer) conf;
      if (last ? !(base.getActivationFn() instanceof ActivationIdentity) : !isPlainRelu(base)) {
        return Optional.of("layer " + i + " has activation " + base.getActivationFn());
      }
      if (last) {
        Optional<String> loss = StudentSupport.lossReason((OutputLayer) conf);
        if (loss.isPresent()) {
          return loss;
        }
      }
      Optional<String> noise = StudentSupport.noiseReason(i, base);
      if (noise.isPresent()) {
        return noise;
      }
      if (!base.getRegularization().isEmpty() || !base.getRegularizationBias().isEmpty()) {
        return Optional.of("layer " + i + " has regularization");
      }
      if (base.getGradientNormalization() != null && base.getGradientNormalization() != GradientNormalization.None) {
        return Optional.of("layer " + i + " has gradient normalization " + base.getGradientNormalization());
      }
      if (!nc.isMiniBatch() || network.getLayer(i).getParam("b") == null) {
        return Optional.of("layer " + i + " is not a minibatch layer with a bias");
      }
    }
    List<UpdaterBlock> blocks = ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks();
    if (blocks.size() != 1 || blocks.get(0).getParamOffsetStart() != 0
        || blocks.get(0).getParamOffsetEnd() != network.numParams()) {
      return Optional.of("the parameters need " + blocks.size() + " updater blocks, expected one");
    }
    BaseLayer first = (BaseLayer) network.getLayer(0).conf().getLayer();
    if (!(first.getIUpdater() instanceof org.nd4j.linalg.learning.config.Adam)) {
      return Optional.of("the updater is " + first.getIUpdater() + ", expected Adam");
    }
    UpdaterBlock block = blocks.get(0);
    if (block.getGradientUpdater() != null && !(block.getGradientUpdater() instanceof AdamUpdater)) {
      return Optional.of("the updater is " + block.getGradientUpdater());
    }
    return Optional.empty();
  }

  /** Number of leading {@link ConvolutionLayer}s (exact class, not subclasses such as subsampling layers). */
  static int convLayers(MultiLayerNetwork network) {
    int c = 0;
    while (c < network.getnLayers() && network.getLayer(c).conf().getLayer().getClass() == ConvolutionLayer.class) {
      c++;
    }
    return c;
  }

  private static boolean isPlainRelu(BaseLayer layer) {
    return layer.getActivationFn() instanceof ActivationReLU relu && relu.equals(new ActivationReLU());
  }
}
