package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.saliency.SaliencyJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code quill saliency}. */
@Command(name = "saliency", mixinStandardHelpOptions = true,
    description = "SIS of every state with the trained (teacher) policy -> <run>/saliency/.")
final class SaliencyCommand extends StageCommand {
  @Override
  String name() {
    return "saliency";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    SaliencyJob.run(spark, config, layout);
  }
}
