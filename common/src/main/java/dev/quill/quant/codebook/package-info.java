/** Vector quantization of whole actions: k-means codebooks and residual VQ (the artifact; Spark fits it). */
package dev.quill.quant.codebook;
