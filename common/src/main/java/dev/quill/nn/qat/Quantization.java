package dev.quill.nn.qat;

import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Turning float policy networks into QAT networks, and post-training quantization. */
public final class Quantization {
  private Quantization() {}

  /**
   * A copy of {@code conf} whose every weight layer trains with fake-quantized weights
   * ({@link FakeQuantWeights}); initialize the QAT network from the float teacher's parameters.
   */
  public static MultiLayerConfiguration withFakeQuant(MultiLayerConfiguration conf, int bits, boolean perChannel) {
    MultiLayerConfiguration copy = conf.clone();
    for (NeuralNetConfiguration layer : copy.getConfs()) {
      if (layer.getLayer() instanceof BaseLayer base) {
        base.setWeightNoise(new FakeQuantWeights(bits, perChannel));
      }
    }
    return copy;
  }

  /**
   * Post-training quantization: a copy of {@code network} whose weight matrices and convolution kernels are rounded to the b-bit
   * grid ({@link FakeQuantOps}), biases unchanged (PTQ baseline of Park et al., ICCV 2025).
   */
  public static MultiLayerNetwork postTraining(MultiLayerNetwork network, int bits, boolean perChannel) {
    MultiLayerNetwork copy = network.clone();
    for (int i = 0; i < copy.getnLayers(); i++) {
      Map<String, INDArray> params = copy.getLayer(i).paramTable();
      INDArray w = params.get("W");
      if (w != null && (w.rank() == 2 || w.rank() == 4)) {
        copy.getLayer(i).setParam("W", FakeQuantOps.fakeQuantize(w, bits, perChannel));
      }
    }
    return copy;
  }
}
