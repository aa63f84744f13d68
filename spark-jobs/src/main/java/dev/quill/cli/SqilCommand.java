package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.qat.SqilExperiment;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code quill experiment sqil}. */
@Command(name = "sqil", mixinStandardHelpOptions = true,
    description = "FP vs PTQ / QAT / QBC / SQIL students of the trained policy, evaluated closed-loop.")
final class SqilCommand extends StageCommand {
  @Override
  String name() {
    return "experiment-sqil";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    SqilExperiment.run(spark, config, layout, PipelineCommand.gitRevision());
  }
}
