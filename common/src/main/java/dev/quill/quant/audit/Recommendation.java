package dev.quill.quant.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The audit's recommendation. Rule: a candidate is eligible when its smoothness violation rate is at most
 * {@code audit.maxViolationRate} (Cao &amp; Xie 2026 bound the deployed regret of a policy class through its
 * k·eps_q-RTVC; a tokenizer that adds jumps makes every policy over it less smooth) and it has at least
 * {@code audit.minExamplesPerCode} training actions per used code (the statistical term of their bounds grows
 * with the vocabulary, so codes must be learnable from the data). Among eligible candidates the one with
 * the smallest relative quantization error wins (their quantization term is proportional to eps_q), ties to
 * the smaller vocabulary. Without an eligible candidate the one with the fewest violations wins, and the
 * reason says so.
 *
 * @param chosen name of the recommended candidate
 * @param reason one line: why this one
 * @param rejected one line per candidate that was not eligible, with the rule it broke
 */
public record Recommendation(String chosen, String reason, List<String> rejected) {

  /** Applies the rule to {@code reports} (at least one). */
  public static Recommendation of(List<CandidateReport> reports, AuditConfig config) {
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("the audit needs at least one candidate");
    }
    List<CandidateReport> eligible = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (CandidateReport r : reports) {
      if (r.violationRate() > config.maxViolationRate()) {
        rejected.add(String.format("%s: smoothness violation rate %.2f%% > audit.maxViolationRate %.2f%%", r.name(),
            100 * r.violationRate(), 100 * config.maxViolationRate()));
      } else if (r.examplesPerCode() < config.minExamplesPerCode()) {
        rejected.add(String.format("%s: %.1f training actions per used code < audit.minExamplesPerCode %.0f", r.name(),
            r.examplesPerCode(), config.minExamplesPerCode()));
      } else {
        eligible.add(r);
      }
    }
    if (eligible.isEmpty()) {
      CandidateReport best = reports.stream().min(Comparator.comparingDouble(CandidateReport::violationRate)
          .thenComparingDouble(CandidateReport::relativeEps)).orElseThrow();
      return new Recommendation(best.name(), String.format("no candidate met every rule; %s has the fewest smoothness "
          + "violations (%.2f%%) with eps_q %.3g of the action spread", best.name(), 100 * best.violationRate(),
          best.relativeEps()), rejected);
    }
    CandidateReport best = eligible.stream().min(Comparator.comparingDouble(CandidateReport::relativeEps)
        .thenComparingLong(CandidateReport::totalVocab)).orElseThrow();
    return new Recommendation(best.name(), String.format("smallest quantization error among the %d eligible candidates: "
        + "eps_q mean %.3g of the action spread, smoothness violations %.2f%% <= %.2f%%, %.0f training actions per used "
        + "code >= %.0f", eligible.size(), best.relativeEps(), 100 * best.violationRate(), 100 * config.maxViolationRate(),
        best.examplesPerCode(), config.minExamplesPerCode()), rejected);
  }
}
