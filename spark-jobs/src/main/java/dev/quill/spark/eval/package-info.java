/** {@code quill eval}: distributed closed-loop evaluation. */
package dev.quill.spark.eval;
