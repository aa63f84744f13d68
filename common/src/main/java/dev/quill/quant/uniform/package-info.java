/** Per-dimension uniform bins (Cao &amp; Xie 2026, Eq. 3): the tokenizer and its fitter. */
package dev.quill.quant.uniform;
