/**
 * {@code quill train}: parameter averaging over action tokens, by Quill's fused averaging or DL4J's
 * training master.
 */
package dev.quill.spark.train;
