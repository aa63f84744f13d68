package dev.quill.quant.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.quant.uniform.UniformBinTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecommendationTest {
  private static final AuditConfig CONFIG = new AuditConfig(List.of("uniform"), List.of(16), 4.0, 10, 0.01, 20);

  private static CandidateReport report(String name, double relEps, double perCode, long violations, int vocab) {
    return new CandidateReport(name, "uniform", new int[] {vocab}, 1000, new double[] {relEps}, new double[] {relEps},
        relEps, new int[] {vocab}, new int[] {0}, new double[] {vocab}, perCode, 1000, violations, 0, 0);
  }

  @Test
  void of_picksSmallestErrorAmongEligible_namingBrokenRules() {
    Recommendation r = Recommendation.of(List.of(
        report("coarse", 0.10, 100, 0, 10),
        report("fine", 0.01, 5, 0, 200), // too few examples per code
        report("jumpy", 0.005, 100, 50, 50), // 5 % violations
        report("medium", 0.03, 40, 10, 25)), CONFIG);
    assertEquals("medium", r.chosen());
    assertEquals(List.of("fine: 5.0 training actions per used code < audit.minExamplesPerCode 20",
        "jumpy: smoothness violation rate 5.00% > audit.maxViolationRate 1.00%"), r.rejected());
    assertTrue(r.reason().startsWith("smallest quantization error among the 2 eligible candidates"), r.reason());
  }

  @Test
  void of_noneEligible_picksFewestViolations() {
    Recommendation r = Recommendation.of(List.of(report("a", 0.01, 100, 90, 10), report("b", 0.02, 100, 30, 10)), CONFIG);
    assertEquals("b", r.chosen());
    assertTrue(r.reason().startsWith("no candidate met every rule"), r.reason());
  }

  @Test
  void codeUsage_countsDeadCodesAndPerplexity() {
    UniformBinTokenizer t = new UniformBinTokenizer(4, new double[] {0}, new double[] {4});
    CodeUsage u = new CodeUsage(t);
    for (double a : new double[] {0.5, 0.5, 1.5, 1.5}) {
      u.add(new double[] {a}, t.encode(new double[] {a}), t.decode(t.encode(new double[] {a})));
    }
    assertEquals(2, u.usedCodes(0));
    assertEquals(2, u.deadCodes(0));
    assertEquals(2.0, u.perplexity(0), 1e-12); // two codes, equally used
    CandidateReport r = CandidateReport.of("u", t, u, new Smoothness(), new Smoothness(), new double[] {0.5});
    assertEquals(2.0, r.examplesPerCode(), 0); // 4 actions / 2 used codes
  }

  @Test
  void smoothness_countsAddedJumpOnly() {
    double[] th = {0.1};
    // the expert itself jumps by 1; quantization keeps the jump: no violation
    assertEquals(false, Smoothness.violates(new double[] {0}, new double[] {0}, new double[] {1}, new double[] {1}, th));
    // quantization adds 0.2 > 0.1
    assertEquals(true, Smoothness.violates(new double[] {0}, new double[] {-0.1}, new double[] {0.1}, new double[] {0.2}, th));
  }

  @Test
  void config_badValues_nameKeyAndRange() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.quill.config.ConfigException.class,
        () -> new AuditConfig(List.of("kmeans"), List.of(16), 4.0, 10, 0.01, 20));
    assertEquals("types must be one of [uniform, quantile, mulaw], got kmeans", e.getMessage());
  }
}
