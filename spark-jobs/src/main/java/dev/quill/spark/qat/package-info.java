/** {@code quill qat}: low-bit students (PTQ, QAT, QBC, SQIL) of the trained policy. */
package dev.quill.spark.qat;
