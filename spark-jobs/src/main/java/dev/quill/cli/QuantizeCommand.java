package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.data.DatasetStats;
import dev.quill.spark.RunLayout;
import dev.quill.spark.quantize.QuantizeJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code quill quantize}. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = "Fit the action tokenizer from stats.json and report eps_q -> <run>/quantize/.")
final class QuantizeCommand extends StageCommand {
  @Override
  String name() {
    return "quantize";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    QuantizeJob.run(spark, config, layout.dataset(), DatasetStats.read(layout.stats()), layout.quantize());
  }
}
