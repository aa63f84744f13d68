package dev.quill.train;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.AdamUpdater;

/** Which networks {@link FusedPolicyStep} computes exactly as DL4J's {@code fit} would. */
final class FusedStepSupport {
  private FusedStepSupport() {}

  /**
   * Why the fused step cannot train {@code network}, or empty if it can: float parameters, dense ReLU
   * layers with biases, an identity output layer with {@link FactorizedTokenCrossEntropy} or
   * {@link dev.quill.loss.DistilledTokenCrossEntropy}, one Adam updater for all parameters, no weight noise
   * but {@link dev.quill.nn.qat.FakeQuantWeights}, no LSQ activation layers, dropout, regularization,
   * gradient normalization or constraints.
   */
  static Optional<String> unsupportedReason(MultiLayerNetwork network) {
    if (network.params() == null || network.params().dataType() != DataType.FLOAT) {
      return Optional.of("parameters must be initialized FLOAT");
    }
    int n = network.getnLayers();
    for (int i = 0; i < n; i++) {
      NeuralNetConfiguration nc = network.getLayer(i).conf();
      org.deeplearning4j.nn.conf.layers.Layer conf = nc.getLayer();
      boolean last = i == n - 1;
      Optional<String> lsq = StudentSupport.lsqReason(i, conf);
      if (lsq.isPresent()) {
        return lsq;
      }
      if (last ? !(conf instanceof OutputLayer) : !(conf.getClass() == DenseLayer.class)) {
        return Optional.of("layer " + i + " is " + conf.getClass().getSimpleName() + ", expected "
            + (last ? "OutputLayer" : "DenseLayer"));
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
      if (!nc.isMiniBatch() || network.getLayer(i).getParam(DefaultParamInitializer.BIAS_KEY) == null) {
        return Optional.of("layer " + i + " is not a minibatch layer with a bias");
      }
    }
    List<UpdaterBlock> blocks = ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks();
    if (blocks.size() != 1 || blocks.get(0).getParamOffsetStart() != 0
        || blocks.get(0).getParamOffsetEnd() != network.numParams()) {
      return Optional.of("the parameters need " + blocks.size() + " updater blocks, expected one");
    }
    UpdaterBlock block = blocks.get(0);
    BaseLayer first = (BaseLayer) network.getLayer(0).conf().getLayer();
    if (!(first.getIUpdater() instanceof org.nd4j.linalg.learning.config.Adam)) {
      return Optional.of("the updater is " + first.getIUpdater() + ", expected Adam");
    }
    if (block.getGradientUpdater() != null && !(block.getGradientUpdater() instanceof AdamUpdater)) {
      return Optional.of("the updater is " + block.getGradientUpdater());
    }
    return Optional.empty();
  }

  private static boolean isPlainRelu(BaseLayer layer) {
    return layer.getActivationFn() instanceof ActivationReLU relu && relu.equals(new ActivationReLU());
  }
}
