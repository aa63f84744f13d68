/**
 * {@code report.html}: a self-contained HTML page per pipeline run with its configuration, stage
 * timings, metrics tables and PNG plots drawn with XChart.
 */
package dev.quill.spark.report;
