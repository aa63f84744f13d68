/**
 * Low-bit weights and activations for DL4J networks: symmetric fake quantization of weights with a
 * straight-through estimator for quantization-aware training (QAT), post-training quantization (PTQ) by
 * round-to-nearest (Park et al., "Saliency-Aware Quantized Imitation Learning", ICCV 2025, Sec. 3:
 * {@code w_q = clip(round(w / s), -2^(b-1), 2^(b-1) - 1)}, {@code w_hat = s w_q}), and activation quantization
 * with a learned step size (LSQ, Esser et al., ICLR 2020: {@link dev.quill.nn.qat.LsqActivation}).
 */
package dev.quill.nn.qat;
