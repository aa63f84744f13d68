/** {@code quill bench}: training throughput against the PyTorch peer. */
package dev.quill.spark.bench;
