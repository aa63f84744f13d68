/** {@code quill audit}: the distributed quantizer audit and its console table. */
package dev.quill.spark.audit;
