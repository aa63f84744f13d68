package dev.quill.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReluPass} on the JDK's Vector API (incubator module {@code jdk.incubator.vector}), loaded only after
 * {@link SoftmaxLoss} found the module. Widths must be multiples of {@link VectorSoftmax#lanes}.
 */
final class VectorRelu {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

  private VectorRelu() {}

  static void forward(float[] x, int rows, int width, float[] bias) {
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      for (int j = 0; j < width; j += S.length()) {
        FloatVector.fromArray(S, x, o + j).add(FloatVector.fromArray(S, bias, j)).max(0f).intoArray(x, o + j);
      }
    }
  }

  static void backward(float[] d, float[] a, int rows, int width, float[] biasGrad) {
    FloatVector zero = FloatVector.zero(S);
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      for (int j = 0; j < width; j += S.length()) {
        VectorMask<Float> on = FloatVector.fromArray(S, a, o + j).compare(VectorOperators.GT, 0f);
        FloatVector g = zero.blend(FloatVector.fromArray(S, d, o + j), on);
        g.intoArray(d, o + j);
        FloatVector.fromArray(S, biasGrad, j).add(g).intoArray(biasGrad, j);
      }
    }
  }
}
