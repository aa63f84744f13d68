package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.dynamics.DynamicsJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code quill dynamics}. */
@Command(name = "dynamics", mixinStandardHelpOptions = true,
    description = "Train the token-conditioned Gaussian dynamics model M(x' | x, tokens) by parameter averaging -> <run>/dynamics/.")
final class DynamicsCommand extends StageCommand {
  @Override
  String name() {
    return "dynamics";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    DynamicsJob.run(spark, config, layout);
  }
}
