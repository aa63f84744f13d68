/** {@code quill ingest}: validation, quarantine and the canonical dataset. */
package dev.quill.spark.ingest;
