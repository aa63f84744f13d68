/**
 * Low-bit weights for DL4J networks: symmetric fake quantization with a straight-through estimator for
 * quantization-aware training (QAT), and post-training quantization (PTQ) by round-to-nearest (Park et al.,
 * "Saliency-Aware Quantized Imitation Learning", ICCV 2025, Sec. 3: {@code w_q = clip(round(w / s),
 * -2^(b-1), 2^(b-1) - 1)}, {@code w_hat = s w_q}).
 */
package dev.quill.nn.qat;
