package dev.quill.train;

import dev.quill.loss.DistilledTokenCrossEntropy;
import dev.quill.loss.FactorizedTokenCrossEntropy;
import dev.quill.nn.qat.FakeQuantWeights;
import dev.quill.nn.qat.LsqActivation;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What both fused steps accept of the low-bit students of {@code quill qat} (Park et al., ICCV 2025): weights
 * fake-quantized by {@link FakeQuantWeights} (straight-through estimator, see {@link FakeQuantLayers}) and the
 * distilled loss {@link DistilledTokenCrossEntropy} (see {@link DistillPass}) beside the plain
 * {@link FactorizedTokenCrossEntropy}; and the label layout of an {@link ExampleBlock} each loss reads.
 */
final class StudentSupport {
  private StudentSupport() {}

  /**
   * Why layer {@code i} cannot be fused because of its class: an {@link LsqActivation} (activation
   * quantization with a learned step size, the W4A4 students) is named as such; empty for other classes.
   */
  static Optional<String> lsqReason(int i, Layer conf) {
    if (conf instanceof LsqActivation) {
      return Optional.of("layer " + i + " is an LsqActivation (LSQ activation quantization, W4A4 students): the fused steps "
          + "do not implement its learned step size, DL4J's fit trains it");
    }
    return Optional.empty();
  }

  /** Why layer {@code i}'s weight noise cannot be fused: anything but {@link FakeQuantWeights} (or none). */
  static Optional<String> noiseReason(int i, BaseLayer base) {
    if (base.getWeightNoise() != null && base.getWeightNoise().getClass() != FakeQuantWeights.class) {
      return Optional.of("layer " + i + " has weight noise " + base.getWeightNoise() + " (only FakeQuantWeights is fused)");
    }
    if (base.getIDropout() != null || base.getConstraints() != null && !base.getConstraints().isEmpty()) {
      return Optional.of("layer " + i + " has dropout or constraints");
    }
    return Optional.empty();
  }

  /** Why the output layer's loss cannot be fused: anything but the factorized or the distilled token loss. */
  static Optional<String> lossReason(OutputLayer out) {
    ILossFunction loss = out.getLossFn();
    if (loss instanceof FactorizedTokenCrossEntropy || loss instanceof DistilledTokenCrossEntropy) {
      return Optional.empty();
    }
    return Optional.of("the output layer's loss is " + loss + ", expected FactorizedTokenCrossEntropy or "
        + "DistilledTokenCrossEntropy");
  }

  /**
   * Token heads D, bins per head B and the width of an example's label row in an {@link ExampleBlock}
   * (D, or {@code D + D * B + 1} for the distilled loss: tokens, teacher logits, alpha) of a supported network.
   */
  static int[] headsBinsWidth(MultiLayerNetwork network) {
    ILossFunction loss = ((OutputLayer) network.getLayer(network.getnLayers() - 1).conf().getLayer()).getLossFn();
    if (loss instanceof DistilledTokenCrossEntropy d) {
      return new int[] {d.numHeads(), d.numBins(), d.labelWidth()};
    }
    FactorizedTokenCrossEntropy f = (FactorizedTokenCrossEntropy) loss;
    return new int[] {f.getNumHeads(), f.getNumBins(), f.getNumHeads()};
  }

  /**
   * The label index (into the {@code [n, D * B]} logits) of every (row, head) of examples
   * {@code order[from] .. order[from + n - 1]}: the row's token of head h, read from the first D entries of its
   * label row of {@code width} floats.
   *
   * @throws IllegalArgumentException naming example and head if a token is not an integer in [0, B)
   */
  static void labelIndices(ExampleBlock block, int[] order, int from, int n, int heads, int bins, int width,
      int[] labels) {
    for (int k = 0; k < n; k++) {
      int src = order[from + k];
      for (int h = 0; h < heads; h++) {
        float t = block.tokens()[src * width + h];
        int token = (int) t;
        if (token != t || token < 0 || token >= bins) {
          throw new IllegalArgumentException("label " + t + " of example " + src + ", head " + h + " is not a token in [0, "
              + (bins - 1) + "]");
        }
        labels[k * heads + h] = k * heads * bins + h * bins + token;
      }
    }
  }
}
