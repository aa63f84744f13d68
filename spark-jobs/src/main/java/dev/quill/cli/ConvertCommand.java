package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.QuillSpark;
import dev.quill.spark.RunLayout;
import dev.quill.spark.ingest.IngestJob;
import dev.quill.spark.stats.StatsJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code quill convert}: reads demonstrations in a field format, validates them and writes
 * {@code <output>/dataset} (canonical Parquet), {@code <output>/quarantine} and a LeRobot-compatible
 * {@code <output>/stats.json}.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Read LeRobot Parquet or D4RL/Minari/robomimic HDF5, validate, write the canonical dataset + stats.json.")
final class ConvertCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Mixin
  ReaderOptions reader;

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "a dataset folder or an HDF5 file")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "output folder: dataset/, quarantine/ and stats.json are written there")
  Path output;

  @Override
  public Integer call() {
    reader.applyTo(options);
    QuillConfig config = options.load();
    RunLayout layout = new RunLayout(output);
    try (SparkSession spark = QuillSpark.session(config.spark(), "quill-convert")) {
      IngestJob.run(spark, config, input, layout.dataset(), layout.quarantine());
      StatsJob.run(spark, layout.dataset(), layout.stats());
    }
    return ExitCodes.OK;
  }
}
