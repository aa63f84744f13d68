package dev.quill.train;

import dev.quill.policy.TrainConfig;

/**
 * The precision of the fused MLP step's matrix products ({@code train.precision}). {@link #FP32} multiplies float32
 * matrices with OpenBLAS ({@link Cblas}); {@link #BF16} multiplies bfloat16 copies of the hidden activations, the
 * weights and the output gradients with oneDNN, accumulating in float32 ({@link Bf16Gemm}), for every dense layer but
 * the first (whose input is the normalized state itself, and whose products are a few percent of the step's). Master
 * weights, gradients, the softmax and log-loss, and Adam stay float32 in both (Kalamkar et al. 2019).
 */
public enum MatmulPrecision {
  /** Float32 products (OpenBLAS). */
  FP32,
  /** Bfloat16 operands, float32 accumulation and results (oneDNN, AVX-512 BF16 or AMX). */
  BF16;

  /**
   * The precision this JVM trains with for the configured value: {@code fp32}; {@code bf16}, which needs a CPU that
   * multiplies bf16 natively; or {@code auto}, bf16 where the CPU does and fp32 elsewhere.
   *
   * @throws IllegalArgumentException for another value
   * @throws IllegalStateException for {@code bf16} on a CPU without AVX-512 BF16 or AMX, naming the CPU's ISA
   */
  public static MatmulPrecision resolve(String configured) {
    switch (configured) {
      case "fp32":
        return FP32;
      case "auto":
        return bf16Native() ? BF16 : FP32;
      case "bf16":
        return BF16.supportedHere();
      default:
        throw new IllegalArgumentException("train.precision must be one of " + TrainConfig.PRECISIONS + ", got "
            + configured);
    }
  }

  /**
   * This precision, once this JVM's CPU is known to multiply in it.
   *
   * @throws IllegalStateException for {@link #BF16} on a CPU without AVX-512 BF16 or AMX, naming the CPU's ISA
   */
  public MatmulPrecision supportedHere() {
    if (this == BF16 && !bf16Native()) {
      throw new IllegalStateException("train.precision bf16 needs a CPU with AVX-512 BF16 or AMX instructions;"
          + " oneDNN reports " + Bf16Gemm.availability().isa() + " on this machine (use fp32, or auto to take"
          + " bf16 only where the CPU has it)");
    }
    return this;
  }

  /** Whether this JVM's CPU multiplies bf16 natively (oneDNN loads and reports AVX-512 BF16 or AMX). */
  public static boolean bf16Native() {
    return Bf16Gemm.availability().nativeBf16();
  }

  /** The value as {@code train.precision} writes it. */
  public String configValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * A line for logs and reports: the CPU's instruction set as oneDNN names it, and for bf16 the oneDNN
   * implementations chosen so far.
   */
  public String describe() {
    if (this == FP32) {
      return "fp32 products (OpenBLAS)";
    }
    return "bf16 products, fp32 accumulation (oneDNN " + Bf16Gemm.availability().isa() + ", "
        + Bf16Gemm.implementations() + ")";
  }
}
