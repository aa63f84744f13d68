package dev.quill.cli;

import dev.quill.config.ConfigException;
import dev.quill.data.BadInputException;
import dev.quill.spark.train.TrainingFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code quill} command line: one subcommand per pipeline stage, plus {@code pipeline} for all of
 * them and {@code bench}. Exit codes are in {@link ExitCodes}.
 */
@Command(name = "quill", mixinStandardHelpOptions = true, version = "quill 0.1.0",
    description = "Behavior cloning with quantized actions on Spark + DL4J.",
    subcommands = {GenerateCommand.class, IngestCommand.class, ConvertCommand.class, StatsCommand.class, QuantizeCommand.class, AuditCommand.class,
        TrainCommand.class, DynamicsCommand.class, EvalCommand.class, PipelineCommand.class, SaliencyCommand.class, QatCommand.class,
        ExperimentCommand.class, ExportCommand.class, BenchCommand.class, BenchInferenceCommand.class, BenchKMeansCommand.class,
        BenchSqilCommand.class, BenchWorkerCommand.class,
        CommandLine.HelpCommand.class})
public final class Quill implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Entry point; exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (what tests call). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Quill());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException) {
        cmd.getErr().println("quill: configuration error: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      if (e instanceof BadInputException) {
        cmd.getErr().println("quill: bad input: " + e.getMessage());
        return ExitCodes.BAD_INPUT;
      }
      if (e instanceof TrainingFailedException) {
        cmd.getErr().println("quill: training failed: " + e.getMessage());
        return ExitCodes.TRAINING_FAILED;
      }
      cmd.getErr().println("quill: " + cmd.getCommandName() + " failed: " + e);
      e.printStackTrace(cmd.getErr());
      return ExitCodes.FAILURE;
    });
    return cli.execute(args);
  }
}
