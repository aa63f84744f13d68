package dev.quill.train;

/**
 * The bf16 products of one {@link StepLane} at one row count ({@link MatmulPrecision#BF16}): for every dense layer
 * {@code i >= 1}, the forward product {@code a[i] W_i}, the weight gradient {@code a[i]^T delta_i} and the input
 * gradient {@code delta_i W_i^T}, each bound once to bf16 copies of its float operands ({@link Bf16Gemm}). Each
 * operand is converted once per step, just before its first product: {@code a[i]} and {@code W_i} in the forward
 * pass, {@code delta_i} in the backward pass; the forward copies serve the backward products too. Layer 0 keeps its
 * float32 products: its input is the state itself. Not thread-safe.
 */
final class Bf16Layers {
  private final Bf16Gemm.Operand[] activation;
  private final Bf16Gemm.Operand[] weight;
  private final Bf16Gemm.Operand[] delta;
  private final Bf16Gemm.Product[] forward;
  private final Bf16Gemm.Product[] weightGradient;
  private final Bf16Gemm.Product[] inputGradient;

  /**
   * Binds the products of layers {@code 1 .. L-1}.
   *
   * @param act {@code act[i]}: layer {@code i}'s input rows ({@code act[L]}: the logits)
   * @param weights layer {@code i}'s weights (or their fake-quantized copy)
   * @param weightGrads layer {@code i}'s weight gradient
   * @param deltas {@code deltas[i]}: dL/d(layer {@code i}'s pre-activation)
   */
  Bf16Layers(Cblas.Matrix[] act, Cblas.Matrix[] weights, Cblas.Matrix[] weightGrads, Cblas.Matrix[] deltas) {
    int layers = weights.length;
    activation = new Bf16Gemm.Operand[layers];
    weight = new Bf16Gemm.Operand[layers];
    delta = new Bf16Gemm.Operand[layers];
    forward = new Bf16Gemm.Product[layers];
    weightGradient = new Bf16Gemm.Product[layers];
    inputGradient = new Bf16Gemm.Product[layers];
    for (int i = 1; i < layers; i++) {
      activation[i] = new Bf16Gemm.Operand(act[i]);
      weight[i] = new Bf16Gemm.Operand(weights[i]);
      delta[i] = new Bf16Gemm.Operand(deltas[i]);
      forward[i] = new Bf16Gemm.Product(activation[i], false, weight[i], false, act[i + 1]);
      weightGradient[i] = new Bf16Gemm.Product(activation[i], true, delta[i], false, weightGrads[i]);
      inputGradient[i] = new Bf16Gemm.Product(delta[i], false, weight[i], true, deltas[i - 1]);
    }
  }

  /** Whether layer {@code i}'s products are bf16 (every layer but the first). */
  boolean covers(int i) {
    return i >= 1;
  }

  /** {@code a[i+1] (or the logits) = a[i] W_i}, after converting {@code a[i]} and {@code W_i}. */
  void forward(int i) {
    activation[i].refresh();
    weight[i].refresh();
    forward[i].run();
  }

  /** {@code dW_i = a[i]^T delta_i}, after converting {@code delta_i}. */
  void weightGradient(int i) {
    delta[i].refresh();
    weightGradient[i].run();
  }

  /** {@code delta_{i-1} (before the ReLU mask) = delta_i W_i^T}; call after {@link #weightGradient}. */
  void inputGradient(int i) {
    inputGradient[i].run();
  }
}
