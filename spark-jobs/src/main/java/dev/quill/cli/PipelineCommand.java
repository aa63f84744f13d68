package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.pipeline.EventLog;
import dev.quill.spark.pipeline.PipelineJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill pipeline}. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "generate -> ingest -> stats -> quantize -> train -> eval -> promote in one Spark application; "
        + "stages whose inputs and configuration did not change are skipped.")
final class PipelineCommand extends StageCommand {
  @Option(names = "--input", paramLabel = "DIR", description = "ingest these demonstrations instead of generating them")
  Path input;

  @Option(names = "--resume", description = "continue an interrupted training stage after its newest checkpoint")
  boolean resume;

  @Option(names = "--events", paramLabel = "FILE|-", description = "append JSON-lines progress events to FILE (- for stdout)")
  String events;

  private int exitCode = ExitCodes.OK;

  @Override
  String name() {
    return "pipeline";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    try (EventLog log = events == null ? EventLog.none() : EventLog.open(events)) {
      PipelineJob.Result r = PipelineJob.run(spark, config, layout, gitRevision(), new PipelineJob.Options(input, resume, log));
      exitCode = r.gate().promoted() ? ExitCodes.OK : ExitCodes.GATE_REJECTED;
    }
  }

  @Override
  int exitCode() {
    return exitCode;
  }

  /** The checked-out git revision, or {@code unknown} outside a git checkout. */
  static String gitRevision() {
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
