/** {@code quill train}: DL4J parameter averaging over action tokens. */
package dev.quill.spark.train;
