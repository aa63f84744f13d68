package dev.quill.quant.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.trap.Theorem6Quantizer;
import dev.quill.quant.uniform.UniformBinTokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalAuditTest {
  private static final AuditConfig CONFIG = new AuditConfig(List.of("uniform"), List.of(16), 5.0, 500, 0.02, 1);

  @Test
  void staircaseExpert_hasZeroViolationsAndZeroError() {
    UniformBinTokenizer bins = new UniformBinTokenizer(16, new double[] {-1}, new double[] {1});
    // the expert's action is already a bin centre: a(x) = q(sin x), a staircase in the state
    int episodes = 40;
    int frames = 100;
    double[][][] s = new double[episodes][frames][1];
    double[][][] a = new double[episodes][frames][1];
    for (int e = 0; e < episodes; e++) {
      for (int f = 0; f < frames; f++) {
        double x = -3 + 0.15 * e + 0.02 * f;
        s[e][f][0] = x;
        a[e][f] = bins.decode(bins.encode(new double[] {Math.sin(x)}));
      }
    }
    CandidateReport r = LocalAudit.run(Map.of("uniform-16", bins), s, a, CONFIG, 1).get(0);
    assertEquals(episodes * (frames - 1), r.consecutivePairs());
    assertEquals(500, r.neighbourPairs());
    assertEquals(0, r.consecutiveViolations());
    assertEquals(0, r.neighbourViolations());
    assertEquals(0.0, r.epsMaxPerDim()[0], 0);
  }

  @Test
  void theorem6Quantizer_hasManyViolations_binningNone_recommendationIsBinning() {
    double eps = 1.0 / 128;
    // expert closed loop x' = 0.2 x + 0.3 atan x from initial states spread over [-2, 2], action atan x
    int episodes = 101;
    int frames = 30;
    double[][][] s = new double[episodes][frames][1];
    double[][][] a = new double[episodes][frames][1];
    for (int e = 0; e < episodes; e++) {
      double x = -2 + 0.04 * e;
      for (int f = 0; f < frames; f++) {
        s[e][f][0] = x;
        a[e][f][0] = Math.atan(x);
        x = 0.2 * x + 0.3 * Math.atan(x);
      }
    }
    Map<String, ActionTokenizer> candidates = new LinkedHashMap<>();
    candidates.put("theorem6", Theorem6Quantizer.auditInstance(eps));
    candidates.put("binning", new UniformBinTokenizer(512, new double[] {-2}, new double[] {2})); // width eps
    List<CandidateReport> reports = LocalAudit.run(candidates, s, a, CONFIG, 1);
    CandidateReport trap = reports.get(0);
    CandidateReport bins = reports.get(1);
    assertEquals(0, bins.consecutiveViolations() + bins.neighbourViolations(), "binning");
    // about one per trajectory: entering I_P or crossing I_T1 / I_T2 adds a jump far above 5 eps_q
    assertTrue(trap.consecutiveViolations() >= 50, "theorem-6 consecutive violations " + trap.consecutiveViolations());
    assertTrue(trap.violationRate() > 0.02, "theorem-6 violation rate " + trap.violationRate());
    Recommendation rec = Recommendation.of(reports, CONFIG);
    assertEquals("binning", rec.chosen());
    assertTrue(rec.rejected().get(0).startsWith("theorem6: smoothness violation rate"), rec.rejected().toString());
  }
}
