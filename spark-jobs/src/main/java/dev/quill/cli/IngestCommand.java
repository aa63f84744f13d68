package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.ingest.IngestJob;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code quill ingest}. */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Validate demonstrations and write the canonical dataset (+ quarantine report).")
final class IngestCommand extends StageCommand {
  @Option(names = "--input", paramLabel = "PATH", description = "demonstrations folder or HDF5 file (default: <run>/demos)")
  Path input;

  @Mixin
  ReaderOptions reader;

  @Override
  void before() {
    reader.applyTo(options);
  }

  @Override
  String name() {
    return "ingest";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    IngestJob.run(spark, config, input != null ? input : layout.demos(), layout.dataset(), layout.quarantine());
  }
}
