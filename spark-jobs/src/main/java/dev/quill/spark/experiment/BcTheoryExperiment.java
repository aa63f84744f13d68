package dev.quill.spark.experiment;

import dev.quill.config.QuillConfig;
import dev.quill.theory.StochasticTheoryTables;
import dev.quill.theory.TheoryTables;
import dev.quill.util.AtomicFiles;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code quill experiment bc-theory}: tables 1–2 (quantized experts, no learning; {@link TheoryTables}),
 * tables 4–6 (the Theorem-6 trap with a stochastic expert and learned or biased models;
 * {@link StochasticTheoryTables}) and, when a grid is given, table 3 (learned policies; {@link LearnedBcExperiment}). Writes
 * {@code tables.md}, one CSV per table and PNG plots ({@link TheoryCharts}) into {@code out} atomically.
 */
public final class BcTheoryExperiment {
  private BcTheoryExperiment() {}

  /**
   * What was computed.
   *
   * @param tables tables 1 and 2
   * @param stochastic tables 4 to 6
   * @param learned table 3 rows, empty when no grid was given
   * @param markdown the text of {@code tables.md}
   */
  public record Result(TheoryTables tables, StochasticTheoryTables stochastic, List<LearnedBcExperiment.Row> learned, String markdown) {}

  /**
   * Runs the experiment.
   *
   * @param spark session for table 3, or {@code null} with {@code grid == null}
   * @param base configuration supplying seed and Spark keys of table 3's runs
   * @param grid table 3's grid, or {@code null} to skip table 3
   * @param work folder for table 3's run directories
   */
  public static Result run(SparkSession spark, QuillConfig base, int episodes, int trapHorizon, long seed,
      LearnedBcExperiment.Grid grid, Path out, Path work) {
    TheoryTables tables = new TheoryTables(episodes, trapHorizon, seed);
    StochasticTheoryTables stochastic = new StochasticTheoryTables(episodes, trapHorizon, seed);
    List<LearnedBcExperiment.Row> learned = grid == null ? List.of() : LearnedBcExperiment.run(spark, base, grid, work);
    String text = tables.render() + stochastic.render() + (learned.isEmpty() ? "" : "\n" + LearnedBcExperiment.markdown(learned));
    Path staging = AtomicFiles.stagingDirFor(out);
    AtomicFiles.writeString(staging.resolve("tables.md"), text);
    AtomicFiles.writeString(staging.resolve("table1_binning.csv"), tables.binningCsv());
    AtomicFiles.writeString(staging.resolve("table2_trap.csv"), tables.trapCsv());
    AtomicFiles.writeBytes(staging.resolve("table1_binning.png"), TheoryCharts.binning(tables));
    AtomicFiles.writeBytes(staging.resolve("table2_trap.png"), TheoryCharts.trap(tables));
    AtomicFiles.writeString(staging.resolve("table4_stochastic.csv"), stochastic.noiseCsv());
    AtomicFiles.writeString(staging.resolve("table5_horizon.csv"), stochastic.sweepCsv());
    AtomicFiles.writeString(staging.resolve("table6_models.csv"), stochastic.modelsCsv());
    AtomicFiles.writeBytes(staging.resolve("table4_stochastic.png"), TheoryCharts.stochastic(stochastic));
    AtomicFiles.writeBytes(staging.resolve("table5_horizon.png"), TheoryCharts.horizon(stochastic));
    AtomicFiles.writeBytes(staging.resolve("table6_models.png"), TheoryCharts.models(stochastic));
    if (!learned.isEmpty()) {
      AtomicFiles.writeString(staging.resolve("table3_learned.csv"), LearnedBcExperiment.csv(learned));
      for (String task : grid.tasks()) {
        for (String sweep : List.of("B", "n")) {
          for (String metric : List.of("success", "return")) {
            AtomicFiles.writeBytes(staging.resolve("table3_" + task + "_" + metric + "_vs_" + sweep + ".png"),
                TheoryCharts.learned(learned, task, sweep, metric));
          }
        }
      }
    }
    AtomicFiles.publishDir(staging, out);
    return new Result(tables, stochastic, learned, text);
  }
}
