package dev.quill.spark.qat;

import dev.quill.spark.report.ReportCharts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The tables of {@code quill experiment sqil} (Park et al., ICCV 2025; the tables 1 and 2): per-seed
 * measurements aggregated to mean and sample standard deviation over seeds, rendered as Markdown, CSV and PNG.
 */
public final class SqilTables {
  private SqilTables() {}

  /**
   * One student (or the teacher, method {@code fp}, precision {@code FP}) of one seed, evaluated closed-loop.
   *
   * @param heldoutDiscrepancy mean discrepancy to the teacher over the sampled held-out states (0 for fp)
   */
  public record Cell(String task, String precision, String method, long seed, double successRate, double meanReturn,
      double expertSuccessRate, double heldoutDiscrepancy) {}

  /** Discrepancy tail of one student of one seed over the sampled dataset states. */
  public record Tail(String task, String precision, String method, long seed, double mean, double p95, double p99) {}

  /**
   * Concentration of PTQ's discrepancy in the top-SIS states for one seed.
   *
   * @param share share of the top-10 % discrepancies found in the top-SIS states (the top fraction by chance)
   * @param massShare share of the total discrepancy held by the top-SIS states
   */
  public record Concentration(String task, String precision, long seed, double share, double massShare) {}

  /** Mean and sample standard deviation (0 for one value). */
  public record Stat(double mean, double std, int n) {
    static Stat of(List<Double> v) {
      double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
      return new Stat(m, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0.0, v.size());
    }

    String pm(String fmt) {
      return String.format(fmt, mean) + " ± " + String.format(fmt, std);
    }
  }

  static <T> Stat stat(List<T> rows, ToDoubleFunction<T> f) {
    return Stat.of(rows.stream().map(r -> f.applyAsDouble(r)).collect(Collectors.toList()));
  }

  private static <T> Map<List<String>, List<T>> group(List<T> rows, java.util.function.Function<T, List<String>> key) {
    Map<List<String>, List<T>> out = new LinkedHashMap<>();
    rows.forEach(r -> out.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
    return out;
  }

  /** Table 1 aggregated: one line per task, precision and method. */
  public static String table1Csv(List<Cell> cells) {
    StringBuilder sb = new StringBuilder(
        "task,precision,method,seeds,success_mean,success_std,return_mean,return_std,expert_success_mean,heldout_d_mean\n");
    group(cells, c -> List.of(c.task(), c.precision(), c.method())).forEach((k, v) -> sb.append(String.format(
        "%s,%s,%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.6g%n", k.get(0), k.get(1), k.get(2), v.size(),
        stat(v, Cell::successRate).mean(), stat(v, Cell::successRate).std(), stat(v, Cell::meanReturn).mean(),
        stat(v, Cell::meanReturn).std(), stat(v, Cell::expertSuccessRate).mean(), stat(v, Cell::heldoutDiscrepancy).mean())));
    return sb.toString();
  }

  /** Every per-seed measurement of table 1. */
  public static String runsCsv(List<Cell> cells) {
    StringBuilder sb = new StringBuilder("task,precision,method,seed,success_rate,mean_return,expert_success_rate,heldout_d\n");
    cells.forEach(c -> sb.append(String.format("%s,%s,%s,%d,%s,%s,%s,%s%n", c.task(), c.precision(), c.method(),
        c.seed(), c.successRate(), c.meanReturn(), c.expertSuccessRate(), c.heldoutDiscrepancy())));
    return sb.toString();
  }

  /** Table 2 aggregated: concentration and discrepancy tails per task, precision and method. */
  public static String table2Csv(List<Concentration> conc, List<Tail> tails) {
    Map<List<String>, List<Concentration>> byPrecision = group(conc, c -> List.of(c.task(), c.precision()));
    StringBuilder sb = new StringBuilder("task,precision,method,seeds,ptq_top_share_mean,ptq_top_share_std,"
        + "ptq_mass_share_mean,d_mean,d_p95,d_p99\n");
    group(tails, t -> List.of(t.task(), t.precision(), t.method())).forEach((k, v) -> {
      List<Concentration> c = byPrecision.getOrDefault(List.of(k.get(0), k.get(1)), List.of());
      sb.append(String.format("%s,%s,%s,%d,%.4f,%.4f,%.4f,%.6g,%.6g,%.6g%n", k.get(0), k.get(1), k.get(2), v.size(),
          stat(c, Concentration::share).mean(), stat(c, Concentration::share).std(),
          stat(c, Concentration::massShare).mean(), stat(v, Tail::mean).mean(), stat(v, Tail::p95).mean(),
          stat(v, Tail::p99).mean()));
    });
    return sb.toString();
  }

  /** Table 1 as Markdown: success rate and return (mean ± std over seeds), methods by precision. */
  public static String renderTable1(List<Cell> cells) {
    StringBuilder sb = new StringBuilder();
    for (String task : distinct(cells, Cell::task)) {
      List<Cell> t = cells.stream().filter(c -> c.task().equals(task)).toList();
      List<String> precisions = distinct(t, Cell::precision);
      int seeds = (int) t.stream().mapToLong(Cell::seed).distinct().count();
      sb.append(String.format("%nTable 1, %s: success rate (return), mean ± std over %d seed(s); expert success %.3f%n%n",
          task, seeds, stat(t, Cell::expertSuccessRate).mean()));
      sb.append("| method | ").append(String.join(" | ", precisions)).append(" |\n|---|");
      precisions.forEach(p -> sb.append("---|"));
      sb.append('\n');
      for (String method : distinct(t, Cell::method)) {
        sb.append("| ").append(method).append(" |");
        for (String p : precisions) {
          List<Cell> v = t.stream().filter(c -> c.method().equals(method) && c.precision().equals(p)).toList();
          sb.append(v.isEmpty() ? " |" : " " + stat(v, Cell::successRate).pm("%.3f") + " ("
              + stat(v, Cell::meanReturn).pm("%.2f") + ") |");
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** Table 2 as Markdown: PTQ's concentration in the top-SIS states and the tails of each student. */
  public static String renderTable2(List<Concentration> conc, List<Tail> tails, double topSis) {
    StringBuilder sb = new StringBuilder(String.format("%nTable 2: share of the top-10%% PTQ discrepancies in the top %.0f%% "
        + "SIS states (chance %.2f), share of the discrepancy mass there, and discrepancy mean / p95 / p99 per method%n%n",
        100 * topSis, topSis));
    List<String> methods = distinct(tails, Tail::method);
    sb.append("| task | precision | top-d share | mass share |");
    methods.forEach(m -> sb.append(' ').append(m).append(" mean / p95 / p99 |"));
    sb.append("\n|---|---|---|---|");
    methods.forEach(m -> sb.append("---|"));
    sb.append('\n');
    group(conc, c -> List.of(c.task(), c.precision())).forEach((k, c) -> {
      sb.append(String.format("| %s | %s | %s | %s |", k.get(0), k.get(1), stat(c, Concentration::share).pm("%.3f"),
          stat(c, Concentration::massShare).pm("%.3f")));
      for (String m : methods) {
        List<Tail> v = tails.stream().filter(t -> t.task().equals(k.get(0)) && t.precision().equals(k.get(1))
            && t.method().equals(m)).toList();
        sb.append(v.isEmpty() ? " |" : String.format(" %.3g / %.3g / %.3g |", stat(v, Tail::mean).mean(),
            stat(v, Tail::p95).mean(), stat(v, Tail::p99).mean()));
      }
      sb.append('\n');
    });
    return sb.toString();
  }

  /** Success rate by precision for one task, one bar series per method (fp repeated as the reference). */
  public static byte[] successChart(String task, List<Cell> cells) {
    List<Cell> t = cells.stream().filter(c -> c.task().equals(task)).toList();
    List<String> precisions = distinct(t, Cell::precision).stream().filter(p -> !p.equals("FP")).toList();
    Map<String, double[]> series = new LinkedHashMap<>();
    for (String method : distinct(t, Cell::method)) {
      double[] v = new double[precisions.size()];
      for (int i = 0; i < v.length; i++) {
        String p = method.equals("fp") ? "FP" : precisions.get(i);
        v[i] = stat(t.stream().filter(c -> c.method().equals(method) && c.precision().equals(p)).toList(),
            Cell::successRate).mean();
      }
      series.put(method, v);
    }
    return ReportCharts.byPrecision("Success rate, " + task, "success rate", precisions, series);
  }

  static <T> List<String> distinct(List<T> rows, java.util.function.Function<T, String> f) {
    return new ArrayList<>(rows.stream().map(f).collect(Collectors.toCollection(LinkedHashSet::new)));
  }
}
