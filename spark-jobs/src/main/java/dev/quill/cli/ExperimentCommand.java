package dev.quill.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code quill experiment}: experiments that reproduce the papers' claims. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "Experiments that reproduce the papers' claims.", subcommands = {BcTheoryCommand.class, SqilCommand.class})
final class ExperimentCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing experiment (e.g. bc-theory)");
  }
}
