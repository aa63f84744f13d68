/**
 * The token-conditioned dynamics model {@code M(x' | x, y)} of model-based augmentation (Cao &amp; Xie
 * 2026, Algorithm 1 as reconstructed in papers.md B8): a Gaussian MLP over the next state given the
 * state and the expert's action tokens, its configuration and its versioned directory format.
 */
package dev.quill.dynamics;
