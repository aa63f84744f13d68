package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.pipeline.PipelineJob;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code quill pipeline}. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "generate -> ingest -> stats -> quantize -> train -> eval in one Spark application.")
final class PipelineCommand extends StageCommand {
  @Override
  String name() {
    return "pipeline";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    PipelineJob.run(spark, config, layout, gitRevision());
  }

  private static String gitRevision() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
