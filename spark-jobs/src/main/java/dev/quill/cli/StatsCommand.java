package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.stats.StatsJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code quill stats}. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Per-dimension mean/std/min/max/q01/q99 of states and actions -> <run>/stats.json.")
final class StatsCommand extends StageCommand {
  @Override
  String name() {
    return "stats";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    StatsJob.run(spark, layout.dataset(), layout.stats());
  }
}
