package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.QuillSpark;
import dev.quill.spark.RunLayout;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;

/** Shared shape of the stage commands: load the config, open a session, run one job. */
abstract class StageCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Override
  public final Integer call() {
    before();
    QuillConfig config = options.load();
    RunLayout layout = options.layout(config);
    try (SparkSession spark = QuillSpark.session(config.spark(), "quill-" + name())) {
      run(spark, config, layout);
    }
    return exitCode();
  }

  /** The exit code after {@link #run} returned normally ({@link ExitCodes#OK} unless a command says otherwise). */
  int exitCode() {
    return ExitCodes.OK;
  }

  /** Hook before the configuration is loaded (e.g. to add overrides from command-specific options). */
  void before() {}

  /** The command's name (for the Spark application name). */
  abstract String name();

  /** Runs the stage. */
  abstract void run(SparkSession spark, QuillConfig config, RunLayout layout);
}
