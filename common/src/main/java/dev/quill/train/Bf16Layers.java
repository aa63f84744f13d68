package dev.quill.train;

/**
 * The bf16 products of one {@link StepLane} at one row count ({@link MatmulPrecision#BF16}): for every dense layer
 * {@code i >= 1}, the forward product {@code a[i] W_i}, the weight gradient {@code a[i]^T delta_i} and the input
 * gradient {@code delta_i W_i^T}, each bound once to bf16 copies of its float operands ({@link Bf16Gemm}). The
 * weights' copies ({@link Weights}) are shared by every lane and row count and converted once per step by the step
 * itself; each lane converts its own {@code a[i]} in the forward pass and {@code delta_i} in the backward pass, just
 * before their first product, and the forward copies serve the backward products too. Layer 0 keeps its float32
 * products: its input is the state itself. Not thread-safe.
 */
final class Bf16Layers {
  private final Bf16Gemm.Operand[] activation;
  private final Bf16Gemm.Operand[] delta;
  private final Bf16Gemm.Product[] forward;
  private final Bf16Gemm.Product[] weightGradient;
  private final Bf16Gemm.Product[] inputGradient;

  /**
   * bf16 copies of the weights of layers {@code 1 .. L-1} (layer 0 multiplies in float32), read by every lane's
   * products. Refresh them once per step, after the weights change and before any lane's forward pass.
   */
  static final class Weights {
    private final Bf16Gemm.Operand[] copies;

    /** Copies of {@code weights[i]} for {@code i >= 1} (per layer: the weight view or its fake-quantized copy). */
    Weights(Cblas.Matrix[] weights) {
      copies = new Bf16Gemm.Operand[weights.length];
      for (int i = 1; i < weights.length; i++) {
        copies[i] = new Bf16Gemm.Operand(weights[i]);
      }
    }

    /** Rounds the weights' current values to bf16. */
    void refresh() {
      for (int i = 1; i < copies.length; i++) {
        copies[i].refresh();
      }
    }
  }

  /**
   * Binds the products of layers {@code 1 .. L-1}.
   *
   * @param act {@code act[i]}: layer {@code i}'s input rows ({@code act[L]}: the logits)
   * @param weights the bf16 copies of the layers' weights
   * @param weightGrads layer {@code i}'s weight gradient
   * @param deltas {@code deltas[i]}: dL/d(layer {@code i}'s pre-activation)
   */
  Bf16Layers(Cblas.Matrix[] act, Weights weights, Cblas.Matrix[] weightGrads, Cblas.Matrix[] deltas) {
    int layers = weightGrads.length;
    activation = new Bf16Gemm.Operand[layers];
    delta = new Bf16Gemm.Operand[layers];
    forward = new Bf16Gemm.Product[layers];
    weightGradient = new Bf16Gemm.Product[layers];
    inputGradient = new Bf16Gemm.Product[layers];
    for (int i = 1; i < layers; i++) {
      Bf16Gemm.Operand w = weights.copies[i];
      activation[i] = new Bf16Gemm.Operand(act[i]);
      delta[i] = new Bf16Gemm.Operand(deltas[i]);
      forward[i] = Bf16Gemm.Product.of(activation[i], false, w, false, act[i + 1]);
      weightGradient[i] = Bf16Gemm.Product.of(activation[i], true, delta[i], false, weightGrads[i]);
      inputGradient[i] = Bf16Gemm.Product.of(delta[i], false, w, true, deltas[i - 1]);
    }
  }

  /** Whether layer {@code i}'s products are bf16 (every layer but the first). */
  boolean covers(int i) {
    return i >= 1;
  }

  /** {@code a[i+1] (or the logits) = a[i] W_i}, after converting {@code a[i]}; the weights' copy is the step's. */
  void forward(int i) {
    activation[i].refresh();
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
