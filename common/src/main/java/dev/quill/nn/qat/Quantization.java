package dev.quill.nn.qat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.activations.Activation;
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
      if (layer.getLayer() instanceof BaseLayer base && !(base instanceof LsqActivation)) {
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

  /**
   * A copy of {@code conf} with an {@link LsqActivation} of {@code activationBits} inserted after every
   * hidden feed-forward layer (every feed-forward layer but the last), so every weight layer but the first
   * sees quantized inputs; {@code activationBits = 0} returns an unchanged copy. The inserted layers take
   * the preceding layer's updater; input preprocessors are re-indexed. Their step sizes start at 1: set them
   * with {@link #calibrateSteps} and copy the float network's parameters with {@link #copyParams}.
   */
  public static MultiLayerConfiguration withActivationQuant(MultiLayerConfiguration conf, int activationBits) {
    MultiLayerConfiguration copy = conf.clone();
    if (activationBits == 0) {
      return copy;
    }
    List<NeuralNetConfiguration> confs = copy.getConfs();
    Map<Integer, InputPreProcessor> pre = new HashMap<>();
    int shift = 0;
    int n = confs.size();
    for (int i = 0; i < n; i++) {
      int at = i + shift;
      if (copy.getInputPreProcessors().containsKey(i)) {
        pre.put(at, copy.getInputPreProcessors().get(i));
      }
      if (i < n - 1 && confs.get(at).getLayer() instanceof FeedForwardLayer ff && !(ff instanceof LsqActivation)) {
        LsqActivation lsq = new LsqActivation.Builder().nIn(ff.getNOut()).nOut(ff.getNOut()).bits(activationBits)
            .activation(Activation.IDENTITY).build();
        lsq.setIUpdater(ff.getIUpdater() == null ? null : ff.getIUpdater().clone());
        NeuralNetConfiguration nnc = confs.get(at).clone();
        nnc.clearVariables();
        nnc.setLayer(lsq);
        confs.add(at + 1, nnc);
        shift++;
      }
    }
    copy.setInputPreProcessors(pre);
    return copy;
  }

  /**
   * Copies the parameters of {@code from} into {@code to}, layer by layer, skipping {@code to}'s
   * {@link LsqActivation} layers (which {@code from} need not have).
   *
   * @throws IllegalArgumentException if the remaining layers do not correspond one to one
   */
  public static void copyParams(MultiLayerNetwork from, MultiLayerNetwork to) {
    int j = 0;
    for (int i = 0; i < to.getnLayers(); i++) {
      if (to.getLayer(i).conf().getLayer() instanceof LsqActivation) {
        continue;
      }
      while (j < from.getnLayers() && from.getLayer(j).conf().getLayer() instanceof LsqActivation) {
        j++;
      }
      if (j >= from.getnLayers() || from.getLayer(j).numParams() != to.getLayer(i).numParams()) {
        throw new IllegalArgumentException("networks differ at layer " + i + " of the target: cannot copy parameters");
      }
      to.getLayer(i).setParams(from.getLayer(j).params().dup());
      j++;
    }
  }

  /**
   * Sets every {@link LsqActivation}'s step to LSQ's initialization {@code 2 mean|v| / sqrt(Q_P)} over the
   * activations {@code v} that {@code features} produce at its input (earlier LSQ layers already calibrated,
   * Esser et al. 2020, Sec. 2.1); used for QAT's starting point and for PTQ with activation quantization.
   */
  public static void calibrateSteps(MultiLayerNetwork network, INDArray features) {
    for (int i = 1; i < network.getnLayers(); i++) {
      if (network.getLayer(i).conf().getLayer() instanceof LsqActivation lsq) {
        INDArray v = network.feedForwardToLayer(i - 1, features, false).get(i);
        network.getLayer(i).getParam(LsqActivation.STEP_KEY).assign(LsqOps.initialStep(v, lsq.getBits(), lsq.isSigned()));
      }
    }
  }
}
