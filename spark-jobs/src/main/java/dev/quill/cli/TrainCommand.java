package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.train.TrainJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill train}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the policy (train.head) by DL4J parameter averaging -> <run>/policy/ (+ checkpoints/).")
final class TrainCommand extends StageCommand {
  @Option(names = "--resume", description = "continue after the newest checkpoint of the run (from scratch if none)")
  boolean resume;

  @Override
  String name() {
    return "train";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    TrainJob.run(spark, config, layout, new TrainJob.Options(resume, null, null));
  }
}
