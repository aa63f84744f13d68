package dev.quill.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TheoryExperimentsTest {

  @Test
  void trapQuantizer_cyclesBetweenT1AndT2_asConstructed() {
    double eps = 1.0 / 128;
    TrapQuantizer q = new TrapQuantizer(eps);
    // from I_P the action lands in I_T1, from I_T1 in I_T2, and from I_T2 back in I_T1
    double x = TrapQuantizer.step(0.0, q.learned(0.0));
    assertTrue(x >= TrapQuantizer.D * eps && x <= (TrapQuantizer.D + 1) * eps, "in I_T1: " + x);
    double y = TrapQuantizer.step(x, q.learned(x));
    assertTrue(y >= TrapQuantizer.A * TrapQuantizer.D * eps + TrapQuantizer.B, "in I_T2: " + y);
    double z = TrapQuantizer.step(y, q.learned(y));
    assertTrue(z >= TrapQuantizer.D * eps && z <= (TrapQuantizer.D + 1) * eps, "back in I_T1: " + z);
    assertEquals(1.0, q.learned(x), 0.0);
  }

  @Test
  void binned_errorIsAtMostHalfABin() {
    TrapQuantizer q = new TrapQuantizer(0.01);
    for (double x = -3; x <= 3; x += 0.001) {
      assertTrue(Math.abs(q.binned(x) - Math.atan(x)) <= 0.005 + 1e-12);
    }
  }

  @Test
  void trap_learnedRegretIsFlatInEps_binningAndModelScaleWithEps() {
    TrapExperiment.Row coarse = TrapExperiment.run(1.0 / 64, 256, 50, 1);
    TrapExperiment.Row fine = TrapExperiment.run(1.0 / 256, 256, 50, 1);
    assertTrue(coarse.learnedRegret() > 0.5 && fine.learnedRegret() > 0.5, coarse + " " + fine);
    assertEquals(coarse.learnedRegret(), fine.learnedRegret(), 0.05);
    assertEquals(4.0, coarse.binnedRegret() / fine.binnedRegret(), 1.0);
    assertEquals(4.0, coarse.modelRegret() / fine.modelRegret(), 1.0);
    assertTrue(fine.modelRegret() < 10 * fine.eps(), "model-augmented regret " + fine.modelRegret());
    assertTrue(fine.inDistributionError() < 10 * fine.eps(), "in-distribution error " + fine.inDistributionError());
  }

  @Test
  void binning_stableSystem_deviationScalesAsOneOverBins_withinTenPercent() {
    BinningExperiment.Cell b32 = BinningExperiment.run(1.0, 0.3, 32, 64, 400, 3);
    BinningExperiment.Cell b128 = BinningExperiment.run(1.0, 0.3, 128, 64, 400, 3);
    assertEquals(4.0, b32.deviation() / b128.deviation(), 0.4);
    assertEquals(4.0, b32.regret() / b128.regret(), 0.4);
  }

  @Test
  void binning_stableSystem_regretLinearInHorizon_deviationFlat() {
    BinningExperiment.Cell h64 = BinningExperiment.run(1.0, 0.3, 128, 64, 400, 3);
    BinningExperiment.Cell h256 = BinningExperiment.run(1.0, 0.3, 128, 256, 400, 3);
    assertEquals(4.0, h256.regret() / h64.regret(), 0.4);
    assertEquals(1.0, h256.deviation() / h64.deviation(), 0.1);
  }

  @Test
  void binning_unstableSystem_deviationGrowsExponentially() {
    BinningExperiment.Cell h64 = BinningExperiment.run(1.03, 1.02, 128, 64, 50, 3);
    BinningExperiment.Cell h256 = BinningExperiment.run(1.03, 1.02, 128, 256, 50, 3);
    // errors are amplified by 1.02 per step: 1.02^192 = 45 between the two horizons
    assertTrue(h256.deviation() / h64.deviation() > 10, h64 + " " + h256);
  }
}
