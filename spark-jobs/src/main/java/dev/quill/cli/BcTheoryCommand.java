package dev.quill.cli;

import dev.quill.theory.TheoryTables;
import dev.quill.util.AtomicFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill experiment bc-theory}: tables 1 and 2 of the BC-quantization theory, as text and CSV. */
@Command(name = "bc-theory", mixinStandardHelpOptions = true,
    description = "Quantized experts on stable/unstable systems and the Theorem-6 trap (Cao & Xie 2026).")
final class BcTheoryCommand implements Callable<Integer> {
  @Option(names = "--episodes", description = "initial states per cell (default: 200)")
  int episodes = 200;

  @Option(names = "--trap-horizon", description = "horizon of table 2 (default: 512)")
  int trapHorizon = 512;

  @Option(names = "--seed", description = "seed (default: 7)")
  long seed = 7;

  @Option(names = "--out", paramLabel = "DIR", description = "folder for tables.md and CSV files (default: runs/experiments/bc-theory)")
  Path out = Path.of("runs/experiments/bc-theory");

  @Override
  public Integer call() {
    TheoryTables tables = new TheoryTables(episodes, trapHorizon, seed);
    String text = tables.render();
    Path staging = AtomicFiles.stagingDirFor(out);
    AtomicFiles.writeString(staging.resolve("tables.md"), text);
    AtomicFiles.writeString(staging.resolve("table1_binning.csv"), tables.binningCsv());
    AtomicFiles.writeString(staging.resolve("table2_trap.csv"), tables.trapCsv());
    AtomicFiles.publishDir(staging, out);
    System.out.println(text);
    System.out.println("written to " + out.toAbsolutePath());
    return ExitCodes.OK;
  }
}
