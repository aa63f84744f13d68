/** Subtractive dither seeded per state, around any tokenizer (turns a deterministic expert stochastic). */
package dev.quill.quant.dither;
