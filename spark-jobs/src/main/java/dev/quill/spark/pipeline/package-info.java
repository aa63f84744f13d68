/** {@code quill pipeline}: every stage in one application, with manifest and metrics. */
package dev.quill.spark.pipeline;
