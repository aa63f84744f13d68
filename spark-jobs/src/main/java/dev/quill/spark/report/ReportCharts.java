package dev.quill.spark.report;

import dev.quill.train.EpochStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The report's plots as PNG bytes, drawn with XChart (a small, dependency-light Java plotting library
 * on Maven Central that renders headless to PNG; JFreeChart would work too but is larger and LGPL).
 * Every method is pure: the same numbers give the same picture.
 */
public final class ReportCharts {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private ReportCharts() {}

  /** Training loss (last minibatch) and held-out loss per epoch; held-out is left out when it was not measured. */
  public static byte[] lossPerEpoch(List<EpochStats> epochs) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Loss per epoch").xAxisTitle("epoch")
        .yAxisTitle("log-loss per head (nats)").build();
    double[] x = epochs.stream().mapToDouble(EpochStats::epoch).toArray();
    chart.addSeries("train", x, epochs.stream().mapToDouble(EpochStats::trainLoss).toArray());
    double[] heldout = epochs.stream().mapToDouble(EpochStats::heldoutLoss).toArray();
    if (Arrays.stream(heldout).allMatch(Double::isFinite)) {
      chart.addSeries("held-out", x, heldout);
    }
    return png(chart);
  }

  /** Quantization error eps_q per action dimension: mean and max over the training actions. */
  public static byte[] epsPerDimension(List<String> names, double[] mean, double[] max) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Quantization error per dimension")
        .xAxisTitle("action dimension").yAxisTitle("|a - decode(encode(a))|").build();
    chart.addSeries("mean", names, boxed(mean));
    chart.addSeries("max", names, boxed(max));
    return png(chart);
  }

  /** Closed-loop success rate of each method (policy, expert) on the same seeds. */
  public static byte[] successByMethod(List<String> methods, double[] successRates) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Success rate by method")
        .xAxisTitle("method").yAxisTitle("success rate").build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setLegendVisible(false);
    chart.addSeries("success", methods, boxed(successRates));
    return png(chart);
  }

  /**
   * Grouped bars: one category per precision (e.g. W8, W4, W4A4), one series per method, e.g. the closed-loop
   * success rate of each quantization method (SQIL comparison).
   */
  public static byte[] byPrecision(String title, String yAxis, List<String> precisions,
      java.util.Map<String, double[]> perMethod) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("precision").yAxisTitle(yAxis).build();
    perMethod.forEach((method, values) -> chart.addSeries(method, precisions, boxed(values)));
    return png(chart);
  }

  private static List<Number> boxed(double[] v) {
    List<Number> out = new ArrayList<>(v.length);
    for (double d : v) {
      out.add(d);
    }
    return out;
  }

  private static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart " + chart.getTitle(), e);
    }
  }
}
