/** {@code quill saliency}: SIS of every state with the full-precision teacher, distributed. */
package dev.quill.spark.saliency;
