package dev.quill.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearGaussianTrapModelTest {

  @Test
  void fit_noiseFreeExpert_equalsExactModelTo1e9() {
    double eps = 1.0 / 128;
    LinearGaussianTrapModel m = LinearGaussianTrapModel.fit(StochasticTrapExperiment.expertTransitions(eps, 0.0, 256, 50, 5));
    TrapQuantizer q = new TrapQuantizer(eps);
    for (double x = -2; x <= 2; x += 0.001) {
      double a = Math.atan(x);
      TrapQuantizer.Token token = q.tokenOfAction(a);
      assertEquals(0.2 * x + 0.3 * a, m.mean(x, token, q.decode(token, a)), 1e-9, "x = " + x);
    }
    for (TrapQuantizer.Token token : TrapQuantizer.Token.values()) {
      assertTrue(m.sigma(token) < 1e-9, token + ": " + m.sigma(token));
    }
    double exact = StochasticTrapExperiment.augmented(eps, TrapModel.exact(), 0.0, 256, 50, 5).regret();
    assertEquals(exact, StochasticTrapExperiment.augmented(eps, m, 0.0, 256, 50, 5).regret(), 1e-9);
  }

  @Test
  void fit_gaussianExpert_defaultTokenIsExactShiftedLinearLaw() {
    double eps = 0.01;
    LinearGaussianTrapModel m = LinearGaussianTrapModel.fit(StochasticTrapExperiment.expertTransitions(eps, 0.05, 128, 50, 5));
    // default token: a = u + eps/2, so x' = 0.2 x + 0.3 u + 0.0015 with no noise; at x = 0.4, u = 0.3: 0.08 + 0.09 + 0.0015
    assertEquals(0.1715, m.mean(0.4, TrapQuantizer.Token.DEFAULT, 0.3), 1e-9);
    assertTrue(m.sigma(TrapQuantizer.Token.DEFAULT) < 1e-9, "default-token noise " + m.sigma(TrapQuantizer.Token.DEFAULT));
    // a trap code's raw action is spread over its action interval: noise of order B * eps, not zero
    assertTrue(m.sigma(TrapQuantizer.Token.P) > 0 && m.sigma(TrapQuantizer.Token.P) < 0.3 * 2 * eps);
  }

  @Test
  void withBias_shiftsEveryMeanByTheBias() {
    LinearGaussianTrapModel m = LinearGaussianTrapModel.fit(StochasticTrapExperiment.expertTransitions(0.01, 0.0, 64, 10, 1));
    LinearGaussianTrapModel biased = m.withBias(0.05);
    assertEquals(m.mean(0.7, TrapQuantizer.Token.DEFAULT, 0.6) + 0.05, biased.mean(0.7, TrapQuantizer.Token.DEFAULT, 0.6), 1e-15);
    assertEquals(m.next(0.7, TrapQuantizer.Token.DEFAULT, 0.6, 0, new SplittableRandom(1)) + 0.05,
        biased.next(0.7, TrapQuantizer.Token.DEFAULT, 0.6, 0, new SplittableRandom(1)), 1e-15);
  }

  @Test
  void augmented_biasedModel_keepsAFloorWhileLearnedScalesWithEps() {
    double[] regret = new double[2];
    double[] biased = new double[2];
    double[] eps = {1.0 / 512, 1.0 / 2048};
    for (int i = 0; i < 2; i++) {
      LinearGaussianTrapModel m = LinearGaussianTrapModel.fit(StochasticTrapExperiment.expertTransitions(eps[i], 0.05, 256, 50, 2));
      regret[i] = StochasticTrapExperiment.augmented(eps[i], m, 0.05, 256, 50, 2).regret();
      biased[i] = StochasticTrapExperiment.augmented(eps[i], m.withBias(0.05), 0.05, 256, 50, 2).regret();
    }
    // 4x smaller eps: the learned model's regret drops about 4x, the biased model's stays above 0.02
    assertEquals(4.0, regret[0] / regret[1], 1.2);
    assertTrue(biased[1] > 0.02 && biased[0] / biased[1] < 1.5 && biased[1] > 4 * regret[1],
        "biased " + biased[0] + ", " + biased[1] + " learned " + regret[0] + ", " + regret[1]);
  }

  @Test
  void fit_tooFewTransitions_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LinearGaussianTrapModel.fit(List.of(new LinearGaussianTrapModel.Transition(0, TrapQuantizer.Token.DEFAULT, 0, 0))));
    assertTrue(e.getMessage().contains("at least 8"), e.getMessage());
  }
}
