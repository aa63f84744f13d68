/**
 * Perturbation saliency of states (Park et al., "Saliency-Aware Quantized Imitation Learning", ICCV 2025,
 * Eqs. 4-5): {@code S(s, k) = 1/2 ||pi(s) - pi(phi(s, k))||^2} over the teacher's output logits and
 * {@code SIS(s) = mean_k S(s, k)}, with perturbations for state vectors, and the distillation weights
 * {@code alpha = beta} for the top-p states by SIS, 1 otherwise.
 */
package dev.quill.saliency;
