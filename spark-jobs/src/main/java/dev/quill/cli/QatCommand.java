package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.qat.QatJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code quill qat}. */
@Command(name = "qat", mixinStandardHelpOptions = true,
    description = "Low-bit students (PTQ, QAT, QBC, SQIL) of the trained policy -> <run>/qat/<method>-w<bits>/.")
final class QatCommand extends StageCommand {
  @Override
  String name() {
    return "qat";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    QatJob.run(spark, config, layout);
  }
}
