/** Action tokenizers (quantizers): the interface, their file format and the eps_q accumulator. */
package dev.quill.quant;
