package dev.quill.train;

import dev.quill.nn.qat.FakeQuantOps;
import dev.quill.nn.qat.FakeQuantWeights;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weights a fused step multiplies with: each layer's own weight view, or, for a layer trained with
 * {@link FakeQuantWeights}, a copy fake-quantized by {@link FakeQuantOps#fakeQuantizeInto} (the very function
 * DL4J's weight-noise hook calls, so the same scale rule, rounding, clamping and per-channel axis for dense
 * matrices and convolution kernels). {@link #refresh} quantizes the current float ("latent") weights once per
 * step; the forward and the backward pass then use the quantized copies, while the weight gradient, computed
 * from activations and deltas only, goes unchanged to the latent weights that Adam updates: the
 * straight-through estimator {@code dL/dW := dL/dW_hat} (Park et al., ICCV 2025, Algorithm 1), which is what
 * DL4J does with weight noise (the noisy weights are used for the layer's output and its input gradient,
 * nothing is masked). Biases stay in float, as {@link FakeQuantWeights} leaves them. Not thread-safe.
 */
final class FakeQuantLayers {
  private final INDArray[] latent;
  private final INDArray[] forward;
  private final FakeQuantWeights[] quantizers;

  /** The weights of {@code network}'s layers (each layer's {@code W} view is its latent weights). */
  FakeQuantLayers(MultiLayerNetwork network) {
    this.latent = new INDArray[network.getnLayers()];
    for (int i = 0; i < latent.length; i++) {
      latent[i] = network.getLayer(i).getParam(DefaultParamInitializer.WEIGHT_KEY);
    }
    this.forward = new INDArray[latent.length];
    this.quantizers = new FakeQuantWeights[latent.length];
    for (int i = 0; i < latent.length; i++) {
      BaseLayer conf = (BaseLayer) network.getLayer(i).conf().getLayer();
      quantizers[i] = conf.getWeightNoise() instanceof FakeQuantWeights q ? q : null;
      forward[i] = quantizers[i] == null ? latent[i]
          : Nd4j.create(latent[i].dataType(), latent[i].shape(), latent[i].ordering());
    }
    refresh();
  }

  /** Whether any layer is fake-quantized. */
  boolean any() {
    for (FakeQuantWeights q : quantizers) {
      if (q != null) {
        return true;
      }
    }
    return false;
  }

  /** Re-quantizes every fake-quantized layer from its current latent weights; call before each step. */
  void refresh() {
    for (int i = 0; i < latent.length; i++) {
      if (quantizers[i] != null) {
        FakeQuantOps.fakeQuantizeInto(latent[i], forward[i], quantizers[i].getBits(), quantizers[i].isPerChannel());
      }
    }
  }

  /**
   * Per layer, the weights of the forward and backward pass: the latent view or its quantized copy (same shape
   * and ordering), valid after the last {@link #refresh}.
   */
  INDArray[] forward() {
    return forward;
  }
}
