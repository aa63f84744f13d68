package dev.quill.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigException;
import dev.quill.config.RetrainConfig;
import dev.quill.eval.EvalSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionGateTest {
  @TempDir
  Path dir;

  private static EvalSummary summary(double meanReturn, double successRate) {
    return new EvalSummary(100, meanReturn, 1.0, successRate, 50, Map.of());
  }

  @Test
  void accepts_successRateWithinAbsoluteTolerance_accepted() {
    // 0.89 >= 0.90 - 0.02 = 0.88
    assertTrue(PromotionGate.accepts("successRate", 0.02, 0.89, 0.90));
    // 0.87 < 0.88
    assertFalse(PromotionGate.accepts("successRate", 0.02, 0.87, 0.90));
  }

  @Test
  void accepts_meanReturnRelativeTolerance_usesAbsoluteValueOfCurrent() {
    // current -40, tolerance 5 %: slack 2, threshold -42
    assertTrue(PromotionGate.accepts("meanReturn", 0.05, -42.0, -40.0));
    assertFalse(PromotionGate.accepts("meanReturn", 0.05, -42.1, -40.0));
  }

  @Test
  void apply_noCurrentModel_promotesAndRecords() throws IOException {
    Path candidate = policy("a");
    GateDecision d = PromotionGate.apply(dir.resolve("models"), candidate, summary(-40, 0.9),
        new RetrainConfig(true, "successRate", 0.02));
    assertTrue(d.promoted());
    assertNull(d.currentValue());
    assertEquals("a", Files.readString(dir.resolve("models/current/network.zip")));
    assertEquals(0.9, PromotionGate.metricOf(
        dev.quill.util.Json.read(dir.resolve("models/current.json"), CurrentModel.class).eval(), "successRate"));
  }

  @Test
  void apply_worseBeyondTolerance_rejectsAndKeepsCurrent() throws IOException {
    RetrainConfig cfg = new RetrainConfig(true, "successRate", 0.02);
    PromotionGate.apply(dir.resolve("models"), policy("a"), summary(-40, 0.9), cfg);
    GateDecision d = PromotionGate.apply(dir.resolve("models"), policy("b"), summary(-30, 0.85), cfg);
    assertFalse(d.promoted());
    assertEquals(0.9, d.currentValue());
    assertEquals(0.85, d.candidateValue());
    assertEquals("a", Files.readString(dir.resolve("models/current/network.zip")));
    GateDecision recorded = dev.quill.util.Json.read(dir.resolve("models/promotion.json"), GateDecision.class);
    assertEquals(d, recorded);
  }

  @Test
  void retrainConfig_badMetric_namesKeyAndAllowedValues() {
    ConfigException e = assertThrows(ConfigException.class, () -> new RetrainConfig(true, "loss", 0.1));
    assertEquals("gateMetric must be one of [successRate, meanReturn], got loss", e.getMessage());
  }

  private Path policy(String content) throws IOException {
    Path p = Files.createDirectories(dir.resolve("policy-" + content));
    Files.writeString(p.resolve("network.zip"), content);
    return p;
  }
}
