package dev.quill.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StochasticTrapExperimentTest {

  @Test
  void quantizeAction_ofArctan_equalsStateQuantizerEverywhere() {
    TrapQuantizer q = new TrapQuantizer(1.0 / 128);
    for (double x = -3; x <= 3; x += 1e-5) {
      assertEquals(q.learned(x), q.quantizeAction(Math.atan(x)), 0.0, "x = " + x);
      assertEquals(q.binned(x), q.binAction(Math.atan(x)), 0.0, "x = " + x);
    }
  }

  @Test
  void decode_codes_equalTheConstructionsActions() {
    double eps = 0.03;
    TrapQuantizer q = new TrapQuantizer(eps);
    // (d + 1/2) eps / B = 1.7 * 0.03 / 0.3 = 0.17; (d + 1)(1 - A^2) eps / B - A = 2.2 * 0.96 * 0.1 - 0.2 = 0.0112
    assertEquals(0.17, q.decode(TrapQuantizer.Token.P, 5.0), 1e-15);
    assertEquals(1.0, q.decode(TrapQuantizer.Token.T1, 5.0), 0.0);
    assertEquals(0.0112, q.decode(TrapQuantizer.Token.T2, 5.0), 1e-15);
    assertEquals(0.485, q.decode(TrapQuantizer.Token.DEFAULT, 0.5), 1e-15);
    // I_T1 = [0.036, 0.066] in states, so arctan(0.05) is in T1's action interval; 0.5 is in none
    assertEquals(TrapQuantizer.Token.T1, q.tokenOfAction(Math.atan(0.05)));
    assertEquals(TrapQuantizer.Token.DEFAULT, q.tokenOfAction(0.5));
  }

  @Test
  void run_sigmaZero_reproducesTable2Exactly() {
    for (double eps : new double[] {1.0 / 32, 1.0 / 512}) {
      TrapExperiment.Row det = TrapExperiment.run(eps, 128, 30, 7);
      StochasticTrapExperiment.Row sto = StochasticTrapExperiment.run(eps, 0.0, 128, 30, 7);
      assertEquals(det.inDistributionError(), sto.inDistributionError(), 0.0);
      assertEquals(det.learnedRegret(), sto.learned().regret(), 0.0);
      assertEquals(det.binnedRegret(), sto.binned().regret(), 0.0);
      assertEquals(det.modelRegret(), sto.model().regret(), 0.0);
      assertEquals(sto.learned().regret(), sto.learned().error(), 0.0);
    }
  }

  @Test
  void run_binningWithNoise_regretAtMostHalfABinAndErrorIsTheNoiseMean() {
    double eps = 1.0 / 128;
    double sigma = 0.1;
    StochasticTrapExperiment.Row r = StochasticTrapExperiment.run(eps, sigma, 256, 100, 3);
    // | sigma xi + e | - | sigma xi | <= |e| <= eps / 2 at every step
    assertTrue(Math.abs(r.binned().regret()) <= eps / 2, "binning regret " + r.binned().regret());
    // E|u - arctan x| ~ E|sigma xi| = 0.1 sqrt(2/pi) = 0.0798; Monte Carlo sd over 25,600 steps is 0.0004
    assertEquals(0.0798, r.binned().error(), 0.002);
  }

  @Test
  void run_fixedNoise_learnedRegretScalesWithEps_whileDeterministicStaysFlat() {
    StochasticTrapExperiment.Row coarse = StochasticTrapExperiment.run(1.0 / 128, 0.1, 256, 100, 1);
    StochasticTrapExperiment.Row fine = StochasticTrapExperiment.run(1.0 / 512, 0.1, 256, 100, 1);
    assertEquals(4.0, coarse.learned().regret() / fine.learned().regret(), 1.0);
    assertTrue(fine.learned().regret() < 10 * fine.eps(), "stochastic learned regret " + fine.learned().regret());
    StochasticTrapExperiment.Row det = StochasticTrapExperiment.run(1.0 / 512, 0.0, 256, 100, 1);
    assertTrue(det.learned().regret() > 0.5, "deterministic learned regret " + det.learned().regret());
  }

  @Test
  void run_negativeSigma_rejectedNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StochasticTrapExperiment.run(0.01, -0.1, 16, 1, 1));
    assertTrue(e.getMessage().contains("sigma") && e.getMessage().contains("-0.1"), e.getMessage());
  }
}
