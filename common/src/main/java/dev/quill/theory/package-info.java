/**
 * Numerical reproductions of the theory of action-quantized behavior cloning (Cao &amp; Xie 2026,
 * "Understanding Behavior Cloning with Action Quantization"): quantized experts executed directly on
 * stable and unstable systems, the Theorem-6 construction where a non-smooth learned quantizer with
 * small in-distribution error has constant deployed regret, fixed by model-based augmentation (with an
 * exact, a learned and a biased transition model), and the same construction with a stochastic expert
 * (claims 5–7 of papers.md).
 */
package dev.quill.theory;
