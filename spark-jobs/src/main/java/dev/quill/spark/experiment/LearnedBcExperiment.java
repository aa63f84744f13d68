package dev.quill.spark.experiment;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.DatasetStats;
import dev.quill.spark.RunLayout;
import dev.quill.spark.eval.EvalJob;
import dev.quill.spark.generate.GenerateJob;
import dev.quill.spark.ingest.IngestJob;
import dev.quill.spark.quantize.QuantizeJob;
import dev.quill.spark.stats.StatsJob;
import dev.quill.spark.train.TrainJob;
import dev.quill.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table 3 of {@code quill experiment bc-theory}: policies trained by Quill (not the exact quantized
 * expert) on {@code linear} and {@code reach}, for every tokenizer × head, closed-loop success and return
 * versus the number of bins B (at {@code fixedDemos} demonstrations) and versus the number of
 * demonstrations n (at {@code fixedBins} bins), so that the crossover between the statistical error
 * (falls with n) and the quantization error (falls with B; Cao &amp; Xie 2026, Theorems 2–3, papers.md claim
 * 3) is visible. Every (task, n) generates, ingests and normalizes its demonstrations once; each cell
 * then quantizes, trains by parameter averaging and evaluates on the same evaluation seeds as the expert.
 * The continuous head uses no tokenizer, so it is one cell per (task, n), reported with {@code bins = 0}.
 */
public final class LearnedBcExperiment {
  private static final Logger LOG = LoggerFactory.getLogger(LearnedBcExperiment.class);

  /** Header of {@link #csv} and of the progress file. */
  private static final String CSV_HEADER =
      "task,sweep,tokenizer,head,bins,demos,success,return,expert_success,expert_return,heldout_loss\n";

  private LearnedBcExperiment() {}

  /**
   * The grid of an experiment.
   *
   * @param tasks task names
   * @param methods (tokenizer type, head) pairs; the tokenizer of {@code continuous} is ignored
   * @param bins bins per dimension (codes for {@code kmeans}) of the B sweep
   * @param demos demonstration counts of the n sweep
   * @param fixedBins B of the n sweep
   * @param fixedDemos n of the B sweep
   * @param epochs training epochs per cell
   * @param hidden hidden layer widths
   * @param evalEpisodes closed-loop evaluation episodes per cell
   */
  public record Grid(List<String> tasks, List<List<String>> methods, List<Integer> bins, List<Integer> demos, int fixedBins,
      int fixedDemos, int epochs, List<Integer> hidden, int evalEpisodes) {

    /** A tiny grid (seconds per cell) that exercises every head: for tests and smoke runs. */
    public static Grid quick() {
      return new Grid(List.of("linear"), List.of(List.of("uniform", "factorized"), List.of("uniform", "autoregressive"),
          List.of("kmeans", "codebook"), List.of("uniform", "continuous")), List.of(8, 32), List.of(10, 30), 8, 30, 2, List.of(32),
          10);
    }

    /**
     * A grid that fits about half an hour on 2 cores: {@code linear}, B in {8, 32, 128, 512} at n = 300,
     * n in {10, 30, 100, 300} at B = 32, 5 epochs of a 2×64 MLP, 50 evaluation episodes.
     */
    public static Grid medium() {
      return new Grid(List.of("linear"), List.of(List.of("uniform", "factorized"), List.of("uniform", "autoregressive"),
          List.of("kmeans", "codebook"), List.of("uniform", "continuous")), List.of(8, 32, 128, 512), List.of(10, 30, 100, 300),
          32, 300, 5, List.of(64, 64), 50);
    }

    /**
     * Table 3 on {@code reach} at the demo's training size (2×256 MLP, 30 epochs, 100 evaluation episodes):
     * B in {8, 32, 128, 512} at n = 600 (the demo's demonstrations), n in {30, 100, 300, 600} at B = 32, for
     * uniform bins with the factorized and autoregressive heads, the k-means codebook and the continuous
     * head. About an hour on 2 cores.
     */
    public static Grid reach() {
      return new Grid(List.of("reach"), List.of(List.of("uniform", "factorized"), List.of("uniform", "autoregressive"),
          List.of("kmeans", "codebook"), List.of("uniform", "continuous")), List.of(8, 32, 128, 512), List.of(30, 100, 300, 600),
          32, 600, 30, List.of(256, 256), 100);
    }

    /**
     * This grid with its n sweep replaced by {@code demos} (unchanged when null or empty), e.g. to run only the
     * B sweep, or to finish an interrupted grid.
     *
     * @throws IllegalArgumentException if a count is below 1
     */
    public Grid withDemos(List<Integer> demos) {
      if (demos == null || demos.isEmpty()) {
        return this;
      }
      for (int n : demos) {
        if (n < 1) {
          throw new IllegalArgumentException("--demos " + n + " must be at least 1 demonstration");
        }
      }
      return new Grid(tasks, methods, bins, List.copyOf(demos), fixedBins, fixedDemos, epochs, hidden, evalEpisodes);
    }

    /** The grid named {@code quick}, {@code medium}, {@code reach} or {@code full}. */
    public static Grid named(String name) {
      return switch (name) {
        case "quick" -> quick();
        case "medium" -> medium();
        case "reach" -> reach();
        case "full" -> full();
        default -> throw new IllegalArgumentException("unknown grid " + name + "; known: quick, medium, reach, full");
      };
    }

    /** The documented full grid (hours on 2 cores). */
    public static Grid full() {
      List<List<String>> methods = new ArrayList<>();
      for (String t : List.of("uniform", "quantile", "mulaw")) {
        methods.add(List.of(t, "factorized"));
        methods.add(List.of(t, "autoregressive"));
      }
      methods.add(List.of("kmeans", "codebook"));
      methods.add(List.of("uniform", "continuous"));
      return new Grid(List.of("linear", "reach"), methods, List.of(8, 32, 128, 512), List.of(10, 30, 100, 300), 64, 300, 30,
          List.of(256, 256), 100);
    }
  }

  /**
   * One cell.
   *
   * @param task task name
   * @param sweep {@code B} or {@code n}
   * @param tokenizer tokenizer type ({@code none} for the continuous head)
   * @param head policy head
   * @param bins bins (codes) per dimension, 0 for the continuous head
   * @param demos demonstrations
   * @param success policy success rate
   * @param meanReturn policy mean return
   * @param expertSuccess expert success rate on the same seeds
   * @param expertReturn expert mean return on the same seeds
   * @param heldoutLoss final held-out training loss (log-loss per head; MSE for continuous)
   */
  public record Row(String task, String sweep, String tokenizer, String head, int bins, int demos, double success,
      double meanReturn, double expertSuccess, double expertReturn, double heldoutLoss) {}

  /**
   * Runs every cell of {@code grid} under {@code work}; {@code base} supplies the remaining keys (seed, spark).
   * Each finished cell is added to a progress file in {@code work} (rewritten atomically; its name records
   * what else shapes a cell: epochs, hidden widths, evaluation episodes, seed, Spark master and partitions),
   * and cells already listed there are not trained again: an interrupted grid resumes where it stopped.
   * Cells are deterministic for a given seed, so a resumed grid gives the rows an uninterrupted one would.
   * Delete the file to train every cell again.
   */
  public static List<Row> run(SparkSession spark, QuillConfig base, Grid grid, Path work) {
    Path progress = work.resolve(progressName(base, grid));
    Map<String, Row> cells = readCells(progress);
    if (!cells.isEmpty()) {
      LOG.info("table 3: resuming with {} finished cell(s) from {}", cells.size(), progress);
    }
    List<Row> rows = new ArrayList<>();
    for (String task : grid.tasks()) {
      List<Integer> ns = new ArrayList<>(grid.demos());
      if (!ns.contains(grid.fixedDemos())) {
        ns.add(grid.fixedDemos());
      }
      for (int n : ns) {
        RunLayout layout = new RunLayout(work.resolve(task + "-n" + n));
        QuillConfig data = config(base, grid, task, n, "uniform", "factorized", grid.fixedBins());
        GenerateJob.run(spark, data, layout.demos());
        IngestJob.run(spark, data, layout.demos(), layout.dataset(), layout.quarantine());
        DatasetStats stats = StatsJob.run(spark, layout.dataset(), layout.stats());
        for (List<String> m : grid.methods()) {
          boolean continuous = "continuous".equals(m.get(1));
          List<Integer> bs = new ArrayList<>();
          if (continuous) {
            bs.add(0);
          } else {
            if (n == grid.fixedDemos()) {
              bs.addAll(grid.bins());
            }
            if (grid.demos().contains(n) && !bs.contains(grid.fixedBins())) {
              bs.add(grid.fixedBins());
            }
          }
          for (int b : bs) {
            String key = key(task, "continuous".equals(m.get(1)) ? "none" : m.get(0), m.get(1), b, n);
            Row cell = cells.get(key);
            if (cell == null) {
              cell = cell(spark, config(base, grid, task, n, m.get(0), m.get(1), b == 0 ? grid.fixedBins() : b), layout, stats,
                  task, m.get(0), m.get(1), b, n);
              cells.put(key, cell);
              AtomicFiles.writeString(progress, progressCsv(cells.values()));
            }
            if (n == grid.fixedDemos() && (continuous || grid.bins().contains(b))) {
              rows.add(withSweep(cell, "B"));
            }
            if (grid.demos().contains(n) && (continuous || b == grid.fixedBins())) {
              rows.add(withSweep(cell, "n"));
            }
          }
        }
      }
    }
    return rows;
  }

  private static String key(String task, String tokenizer, String head, int bins, int demos) {
    return task + "/" + tokenizer + "/" + head + "/" + bins + "/" + demos;
  }

  /** Name of the progress file of {@code grid} under {@code base}'s seed and Spark settings. */
  static String progressName(QuillConfig base, Grid grid) {
    StringBuilder h = new StringBuilder();
    for (int w : grid.hidden()) {
      h.append(h.length() == 0 ? "" : "x").append(w);
    }
    String master = base.spark().master().replaceAll("[^A-Za-z0-9]+", "_");
    return "cells-e" + grid.epochs() + "-h" + h + "-eval" + grid.evalEpisodes() + "-seed" + base.seed() + "-p"
        + base.spark().partitions() + "-" + master + ".csv";
  }

  /** The cells in {@link #csv}'s columns, numbers in full precision ({@link Double#toString}) so they read back exactly. */
  static String progressCsv(Iterable<Row> rows) {
    StringBuilder sb = new StringBuilder(CSV_HEADER);
    for (Row r : rows) {
      sb.append(String.join(",", r.task(), "", r.tokenizer(), r.head(), Integer.toString(r.bins()), Integer.toString(r.demos()),
          Double.toString(r.success()), Double.toString(r.meanReturn()), Double.toString(r.expertSuccess()),
          Double.toString(r.expertReturn()), Double.toString(r.heldoutLoss()))).append('\n');
    }
    return sb.toString();
  }

  /** The finished cells listed in {@code file} (written by {@link #progressCsv}), by key; empty when it is absent. */
  static Map<String, Row> readCells(Path file) {
    Map<String, Row> cells = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return cells;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read table 3 progress " + file, e);
    }
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      if (f.length != 11) {
        throw new IllegalArgumentException("table 3 progress " + file + " line " + (i + 1) + " has " + f.length
            + " fields, expected 11 (delete the file to start the grid over)");
      }
      Row r = new Row(f[0], "", f[2], f[3], Integer.parseInt(f[4]), Integer.parseInt(f[5]), Double.parseDouble(f[6]),
          Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]));
      cells.put(key(r.task(), r.tokenizer(), r.head(), r.bins(), r.demos()), r);
    }
    return cells;
  }

  private static Row withSweep(Row r, String sweep) {
    return new Row(r.task(), sweep, r.tokenizer(), r.head(), r.bins(), r.demos(), r.success(), r.meanReturn(), r.expertSuccess(),
        r.expertReturn(), r.heldoutLoss());
  }

  private static Row cell(SparkSession spark, QuillConfig config, RunLayout layout, DatasetStats stats, String task,
      String tokenizer, String head, int bins, int n) {
    LOG.info("table 3 cell: task {}, {} + {}, B {}, n {}", task, tokenizer, head, bins, n);
    QuantizeJob.run(spark, config, layout.dataset(), stats, layout.quantize());
    TrainJob.Result tr = TrainJob.run(spark, config, layout);
    EvalJob.Result ev = EvalJob.run(spark, config, layout.policy(), null, layout.eval());
    return new Row(task, "", "continuous".equals(head) ? "none" : tokenizer, head, bins, n, ev.policy().successRate(),
        ev.policy().meanReturn(), ev.expert().successRate(), ev.expert().meanReturn(), tr.finalHeldoutLoss());
  }

  private static QuillConfig config(QuillConfig base, Grid grid, String task, int n, String tokenizer, String head, int bins) {
    List<String> sets = new ArrayList<>(List.of("task.name=" + task, "task.episodes=" + n, "quantize.type=" + tokenizer,
        "quantize.numBins=" + bins, "quantize.codebookSize=" + bins, "train.head=" + head, "train.epochs=" + grid.epochs(),
        "train.hidden=" + grid.hidden(), "eval.episodes=" + grid.evalEpisodes(), "seed=" + base.seed(),
        "spark.partitions=" + base.spark().partitions()));
    if (!base.spark().master().isEmpty()) {
      sets.add("spark.master=" + base.spark().master());
    }
    return ConfigLoader.load(null, sets);
  }

  /** The rows as CSV with a header. */
  public static String csv(List<Row> rows) {
    StringBuilder sb = new StringBuilder(CSV_HEADER);
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%.4f,%.4f,%.4f,%.4f,%.5f%n", r.task(), r.sweep(), r.tokenizer(),
          r.head(), r.bins(), r.demos(), r.success(), r.meanReturn(), r.expertSuccess(), r.expertReturn(), r.heldoutLoss()));
    }
    return sb.toString();
  }

  /** The rows as a Markdown table. */
  public static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder("## Table 3: learned policies (success / return; expert on the same seeds)\n\n"
        + "| task | sweep | tokenizer | head | B | n | success | return | expert success | expert return |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %.2f | %.3f | %.2f | %.3f |%n", r.task(), r.sweep(),
          r.tokenizer(), r.head(), r.bins() == 0 ? "-" : String.valueOf(r.bins()), r.demos(), r.success(), r.meanReturn(),
          r.expertSuccess(), r.expertReturn()));
    }
    return sb.toString();
  }
}
