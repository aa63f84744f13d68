package dev.quill.train;

/**
 * The element-wise parts of a dense ReLU layer, {@code a = relu(x W + b)}, on row-major activations held on
 * the Java heap: the forward pass adds the bias and clamps at zero in one sweep, and the backward pass masks
 * the incoming gradient by {@code a > 0} and sums its columns into the bias gradient in the same sweep
 * (backpropagation through {@code relu(x W + b)}, Rumelhart et al. 1986). The derivative is 0 where the
 * pre-activation is exactly 0, as DL4J's ReLU derivative. Uses the Vector API ({@link VectorRelu}) where
 * {@link SoftmaxLoss} finds it and the width is a multiple of 8, plain loops otherwise; both give the same
 * floats (one add and one compare per element). Stateless.
 */
final class ReluPass {
  private ReluPass() {}

  /** {@code x[r][j] = max(x[r][j] + bias[j], 0)} for {@code rows} rows of {@code width} floats. */
  static void forward(float[] x, int rows, int width, float[] bias) {
    if (SoftmaxLoss.vectorized(width)) {
      VectorRelu.forward(x, rows, width, bias);
      return;
    }
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      for (int j = 0; j < width; j++) {
        x[o + j] = Math.max(x[o + j] + bias[j], 0f);
      }
    }
  }

  /**
   * {@code d[r][j] = a[r][j] > 0 ? d[r][j] : 0} for {@code rows} rows of {@code width} floats, and
   * {@code biasGrad[j] = sum_r d[r][j]} (overwritten) of the masked gradient.
   */
  static void backward(float[] d, float[] a, int rows, int width, float[] biasGrad) {
    java.util.Arrays.fill(biasGrad, 0, width, 0f);
    if (SoftmaxLoss.vectorized(width)) {
      VectorRelu.backward(d, a, rows, width, biasGrad);
      return;
    }
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      for (int j = 0; j < width; j++) {
        float g = a[o + j] > 0f ? d[o + j] : 0f;
        d[o + j] = g;
        biasGrad[j] += g;
      }
    }
  }
}
