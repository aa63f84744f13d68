/** Equal-mass (quantile) bins per action dimension: the tokenizer and its fitter. */
package dev.quill.quant.quantile;
