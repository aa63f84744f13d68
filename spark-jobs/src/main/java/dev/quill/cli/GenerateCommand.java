package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.generate.GenerateJob;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill generate}. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate expert demonstrations of the configured task as LeRobot-style Parquet.")
final class GenerateCommand extends StageCommand {
  @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: <run>/demos)")
  Path out;

  @Override
  String name() {
    return "generate";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    GenerateJob.run(spark, config, out != null ? out : layout.demos());
  }
}
