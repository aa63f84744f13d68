/** Mu-law companded bins per action dimension (Gato): the tokenizer and its fitter. */
package dev.quill.quant.mulaw;
