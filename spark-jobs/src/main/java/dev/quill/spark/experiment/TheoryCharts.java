package dev.quill.spark.experiment;

import dev.quill.theory.BinningExperiment;
import dev.quill.theory.StochasticTheoryTables;
import dev.quill.theory.StochasticTrapExperiment;
import dev.quill.theory.TheoryTables;
import dev.quill.theory.TrapExperiment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * PNG plots of the three bc-theory tables (XChart, as {@link dev.quill.spark.report.ReportCharts}):
 * table 1 deviation versus B per horizon (log-log, stable and unstable), table 2 regret per step versus
 * eps per method (log-log), table 3 success versus B (one series per tokenizer + head) and versus n,
 * tables 4–6 (stochastic expert) as log-log regret versus eps or horizon.
 */
public final class TheoryCharts {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private TheoryCharts() {}

  /** Table 1: rollout deviation versus bins, one series per (system, horizon). */
  public static byte[] binning(TheoryTables tables) {
    XYChart chart = logLog("Table 1: quantized expert, deviation vs bins", "bins B", "max_t |x_t - x~_t|");
    addCells(chart, "stable", tables.stable());
    addCells(chart, "unstable", tables.unstable());
    return png(chart);
  }

  private static void addCells(XYChart chart, String system, List<BinningExperiment.Cell> cells) {
    Map<Integer, List<BinningExperiment.Cell>> byH = new TreeMap<>();
    for (BinningExperiment.Cell c : cells) {
      byH.computeIfAbsent(c.horizon(), h -> new java.util.ArrayList<>()).add(c);
    }
    byH.forEach((h, cs) -> chart.addSeries(system + " H=" + h, cs.stream().mapToDouble(BinningExperiment.Cell::bins).toArray(),
        cs.stream().mapToDouble(c -> Math.max(c.deviation(), 1e-12)).toArray()));
  }

  /** Table 2: regret per step versus eps for the learned quantizer, binning and model-based deployment. */
  public static byte[] trap(TheoryTables tables) {
    XYChart chart = logLog("Table 2: Theorem-6 trap, regret per step vs eps", "eps", "regret per step");
    List<TrapExperiment.Row> rows = tables.trap();
    double[] eps = rows.stream().mapToDouble(TrapExperiment.Row::eps).toArray();
    chart.addSeries("learned quantizer", eps, rows.stream().mapToDouble(TrapExperiment.Row::learnedRegret).toArray());
    chart.addSeries("binning", eps, rows.stream().mapToDouble(TrapExperiment.Row::binnedRegret).toArray());
    chart.addSeries("learned + model-based", eps, rows.stream().mapToDouble(TrapExperiment.Row::modelRegret).toArray());
    return png(chart);
  }

  /** Table 4: the learned quantizer's regret per step versus eps, one series per expert noise level. */
  public static byte[] stochastic(StochasticTheoryTables tables) {
    XYChart chart = logLog("Table 4: trap with a Gaussian expert, learned-quantizer regret per step vs eps", "eps",
        "regret per step");
    Map<String, List<StochasticTrapExperiment.Row>> bySigma = new java.util.LinkedHashMap<>();
    int perSigma = TheoryTables.EPS.length;
    for (int i = 0; i < tables.noise().size(); i++) {
      double[] s = StochasticTheoryTables.SIGMAS[i / perSigma];
      String name = s[1] > 0 ? "sigma = " + (int) s[1] + " eps" : "sigma = " + s[0];
      bySigma.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(tables.noise().get(i));
    }
    bySigma.forEach((name, rows) -> chart.addSeries(name, rows.stream().mapToDouble(StochasticTrapExperiment.Row::eps).toArray(),
        rows.stream().mapToDouble(r -> Math.max(r.learned().regret(), 1e-12)).toArray()));
    return png(chart);
  }

  /** Table 5: total regret versus horizon, plain and model-based, one pair of series per expert noise level. */
  public static byte[] horizon(StochasticTheoryTables tables) {
    XYChart chart = logLog("Table 5: total regret vs horizon (eps = 1/128)", "horizon H", "total regret");
    for (double sigma : StochasticTheoryTables.SWEEP_SIGMAS) {
      List<StochasticTrapExperiment.Row> rows = tables.sweep().stream().filter(r -> r.sigma() == sigma).toList();
      double[] h = rows.stream().mapToDouble(StochasticTrapExperiment.Row::horizon).toArray();
      chart.addSeries("plain, sigma = " + sigma, h, rows.stream().mapToDouble(r -> Math.max(r.learned().regret() * r.horizon(), 1e-12)).toArray());
      chart.addSeries("model-based, sigma = " + sigma, h,
          rows.stream().mapToDouble(r -> Math.max(r.model().regret() * r.horizon(), 1e-12)).toArray());
    }
    return png(chart);
  }

  /** Table 6: regret per step versus eps with the exact, learned and biased models, per expert noise level. */
  public static byte[] models(StochasticTheoryTables tables) {
    XYChart chart = logLog("Table 6: model-based augmentation, regret per step vs eps", "eps", "regret per step");
    for (double sigma : StochasticTheoryTables.MODEL_SIGMAS) {
      List<StochasticTheoryTables.ModelRow> rows = tables.models().stream().filter(r -> r.sigma() == sigma).toList();
      double[] eps = rows.stream().mapToDouble(StochasticTheoryTables.ModelRow::eps).toArray();
      chart.addSeries("exact, sigma = " + sigma, eps, rows.stream().mapToDouble(r -> Math.max(r.exact(), 1e-12)).toArray());
      chart.addSeries("learned, sigma = " + sigma, eps, rows.stream().mapToDouble(r -> Math.max(r.learned(), 1e-12)).toArray());
      chart.addSeries("biased, sigma = " + sigma, eps, rows.stream().mapToDouble(r -> Math.max(r.biased(), 1e-12)).toArray());
    }
    return png(chart);
  }

  /**
   * Table 3: the given metric ({@code success} or {@code return}) of {@code task}'s cells of {@code sweep}
   * ({@code B} or {@code n}), one series per tokenizer + head.
   */
  public static byte[] learned(List<LearnedBcExperiment.Row> rows, String task, String sweep, String metric) {
    boolean byBins = "B".equals(sweep);
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Table 3: " + task + ", " + metric + " vs " + (byBins ? "bins B" : "demonstrations n"))
        .xAxisTitle(byBins ? "bins B" : "demonstrations n").yAxisTitle(metric).build();
    chart.getStyler().setXAxisLogarithmic(true);
    Map<String, List<LearnedBcExperiment.Row>> series = new TreeMap<>();
    for (LearnedBcExperiment.Row r : rows) {
      if (r.task().equals(task) && r.sweep().equals(sweep) && !(byBins && r.bins() == 0)) {
        series.computeIfAbsent(r.tokenizer() + " + " + r.head(), k -> new java.util.ArrayList<>()).add(r);
      }
    }
    series.forEach((name, rs) -> chart.addSeries(name, rs.stream().mapToDouble(r -> byBins ? r.bins() : r.demos()).toArray(),
        rs.stream().mapToDouble(r -> "success".equals(metric) ? r.success() : r.meanReturn()).toArray()));
    return png(chart);
  }

  private static XYChart logLog(String title, String x, String y) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
    chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
    return chart;
  }

  private static byte[] png(XYChart chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart " + chart.getTitle(), e);
    }
  }
}
