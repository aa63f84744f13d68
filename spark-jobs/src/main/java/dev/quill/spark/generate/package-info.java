/** {@code quill generate}: expert demonstrations as LeRobot-style Parquet. */
package dev.quill.spark.generate;
