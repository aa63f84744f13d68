/** {@code quill quantize}: fitting and auditing the action tokenizer. */
package dev.quill.spark.quantize;
