package dev.quill.cli;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.spark.QuillSpark;
import dev.quill.spark.experiment.BcTheoryExperiment;
import dev.quill.spark.experiment.LearnedBcExperiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill experiment bc-theory}: tables 1–6 of the BC-quantization theory, as text, CSV and PNG. */
@Command(name = "bc-theory", mixinStandardHelpOptions = true,
    description = "Quantized experts on stable/unstable systems, the Theorem-6 trap (deterministic and stochastic experts, exact/learned/biased models), and (--learned) policies trained by Quill "
        + "for every tokenizer x head vs bins and demonstrations (Cao & Xie 2026).")
final class BcTheoryCommand implements Callable<Integer> {
  @Option(names = "--episodes", description = "initial states per cell of tables 1-2 and 4-6 (default: 200)")
  int episodes = 200;

  @Option(names = "--trap-horizon", description = "horizon of tables 2, 4 and 6 (default: 512)")
  int trapHorizon = 512;

  @Option(names = "--seed", description = "seed (default: 7)")
  long seed = 7;

  @Option(names = "--learned", description = "also run table 3 (learned policies; Spark; the full grid takes hours on 2 cores)")
  boolean learned;

  @Option(names = "--quick", description = "table 3 on the tiny grid (linear, B in {8, 32}, n in {10, 30}, 2 epochs)")
  boolean quick;

  @Option(names = "--grid", description = "table 3's grid: quick, medium (linear, about 30 min on 2 cores), reach (reach at the demo size, about an hour) or full (default)")
  String grid = "full";

  @Option(names = "--demos", split = ",", paramLabel = "N",
      description = "replace the grid's n sweep (the B sweep's n is always included), e.g. --demos 600")
  List<Integer> demos;

  @Option(names = "--master", description = "Spark master of table 3 (default: local[2])")
  String master = "local[2]";

  @Option(names = "--out", paramLabel = "DIR", description = "folder for tables.md, CSV and PNG files (default: runs/experiments/bc-theory)")
  Path out = Path.of("runs/experiments/bc-theory");

  @Option(names = "--work", paramLabel = "DIR", description = "run directories of table 3 (default: runs/experiments/bc-theory-work)")
  Path work = Path.of("runs/experiments/bc-theory-work");

  @Override
  public Integer call() {
    boolean table3 = learned || quick;
    BcTheoryExperiment.Result r;
    if (!table3) {
      r = BcTheoryExperiment.run(null, null, episodes, trapHorizon, seed, null, out, work);
    } else {
      List<String> sets = new ArrayList<>(List.of("seed=" + seed, "spark.master=" + master));
      QuillConfig base = ConfigLoader.load(null, sets);
      try (SparkSession spark = QuillSpark.session(base.spark(), "quill-bc-theory")) {
        r = BcTheoryExperiment.run(spark, base, episodes, trapHorizon, seed,
            LearnedBcExperiment.Grid.named(quick ? "quick" : grid).withDemos(demos), out, work);
      }
    }
    System.out.println(r.markdown());
    System.out.println("written to " + out.toAbsolutePath());
    return ExitCodes.OK;
  }
}
