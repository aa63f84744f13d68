/** Experiments with learned policies: table 3 of {@code quill experiment bc-theory}. */
package dev.quill.spark.experiment;
