/** {@code quill stats}: distributed normalization statistics. */
package dev.quill.spark.stats;
