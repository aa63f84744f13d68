package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.eval.EvalJob;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill eval}. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Roll out a policy closed-loop next to the expert, and measure held-out action error.")
final class EvalCommand extends StageCommand {
  @Option(names = "--policy", paramLabel = "DIR", description = "policy directory (default: <run>/policy)")
  Path policy;

  @Override
  String name() {
    return "eval";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    EvalJob.run(spark, config, policy != null ? policy : layout.policy(), layout.dataset(), layout.eval(), layout.dynamics());
  }
}
