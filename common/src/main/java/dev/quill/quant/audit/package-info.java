/** The quantizer audit: its configuration, accumulators, smoothness measure and recommendation (no Spark). */
package dev.quill.quant.audit;
