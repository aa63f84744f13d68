package dev.quill.nn.qat;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Quantization-aware training through DL4J's weight-noise hook: a layer configured with this sees its
 * weights fake-quantized ({@link FakeQuantOps}) in every forward pass, training and inference alike, while
 * the float weights are what the updater changes. DL4J computes the layer's output and input gradient
 * with the returned weights and applies the weight gradient to the float weights, which is the
 * straight-through estimator: {@code dL/dW := dL/dW_hat} (Park et al., ICCV 2025, Algorithm 1). Biases
 * stay in float. Serializable with DL4J's configuration JSON.
 */
public final class FakeQuantWeights implements IWeightNoise {
  private static final long serialVersionUID = 1L;

  @JsonProperty("bits")
  private int bits;

  @JsonProperty("perChannel")
  private boolean perChannel;

  /** For JSON deserialization only. */
  public FakeQuantWeights() {}

  /** Weights fake-quantized to {@code bits} in [2, 16], per output channel or per tensor. */
  public FakeQuantWeights(int bits, boolean perChannel) {
    FakeQuantOps.maxLevel(bits);
    this.bits = bits;
    this.perChannel = perChannel;
  }

  /** Bit width. */
  public int getBits() {
    return bits;
  }

  /** Whether scales are per output channel. */
  public boolean isPerChannel() {
    return perChannel;
  }

  @Override
  public INDArray getParameter(Layer layer, String paramKey, int iteration, int epoch, boolean train,
      LayerWorkspaceMgr workspaceMgr) {
    ParamInitializer init = layer.conf().getLayer().initializer();
    INDArray param = layer.getParam(paramKey);
    if (!init.isWeightParam(layer.conf().getLayer(), paramKey)) {
      return param;
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.INPUT, param.dataType(), param.shape(), param.ordering());
    FakeQuantOps.fakeQuantizeInto(param, out, bits, perChannel);
    return out;
  }

  @Override
  public FakeQuantWeights clone() {
    return new FakeQuantWeights(bits, perChannel);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FakeQuantWeights other && bits == other.bits && perChannel == other.perChannel;
  }

  @Override
  public int hashCode() {
    return 31 * bits + (perChannel ? 1 : 0);
  }

  @Override
  public String toString() {
    return "FakeQuantWeights(bits=" + bits + ", perChannel=" + perChannel + ")";
  }
}
