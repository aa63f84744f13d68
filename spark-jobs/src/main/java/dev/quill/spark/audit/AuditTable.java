package dev.quill.spark.audit;

import dev.quill.quant.audit.CandidateReport;
import dev.quill.quant.audit.Recommendation;
import java.util.Arrays;
import java.util.List;

/** Renders the audit's table and recommendation as text for the console. */
final class AuditTable {
  private AuditTable() {}

  /** The table, one row per candidate, then the recommendation. */
  static String render(List<CandidateReport> reports, Recommendation rec) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%n%-22s %-9s %10s %10s %10s %10s %9s %9s %9s%n", "tokenizer", "vocab", "eps/std",
        "eps mean", "eps max", "dead", "perplex.", "viol.step", "viol.nn"));
    for (CandidateReport r : reports) {
      int dead = Arrays.stream(r.deadCodesPerHead()).sum();
      double perplexity = Arrays.stream(r.perplexityPerHead()).average().orElse(0);
      b.append(String.format("%-22s %-9s %10.3g %10.3g %10.3g %10s %9.1f %8.2f%% %8.2f%%%n", r.name(),
          r.vocabSizePerHead().length + "x" + r.vocabSizePerHead()[0], r.relativeEps(),
          Arrays.stream(r.epsMeanPerDim()).average().orElse(0), Arrays.stream(r.epsMaxPerDim()).max().orElse(0),
          dead + "/" + r.totalVocab(), perplexity, 100.0 * rate(r.consecutiveViolations(), r.consecutivePairs()),
          100.0 * rate(r.neighbourViolations(), r.neighbourPairs())));
    }
    b.append(String.format("%nRecommendation: %s (%s)%n", rec.chosen(), rec.reason()));
    for (String line : rec.rejected()) {
      b.append("  not eligible: ").append(line).append('\n');
    }
    return b.toString();
  }

  private static double rate(long violations, long pairs) {
    return pairs == 0 ? 0 : (double) violations / pairs;
  }
}
