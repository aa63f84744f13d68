package dev.quill.theory;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs tables 1 and 2 of {@code quill experiment bc-theory} and renders them as text (with the paper's
 * predictions) and CSV.
 */
public final class TheoryTables {
  /** Bins of table 1. */
  public static final int[] BINS = {8, 32, 128, 512};
  /** Horizons of table 1. */
  public static final int[] HORIZONS = {16, 64, 256};
  /** Resolutions of table 2. */
  public static final double[] EPS = {1.0 / 32, 1.0 / 128, 1.0 / 512, 1.0 / 2048};
  /** Stable system of table 1: {@code a = 1}, closed loop 0.3. */
  public static final double[] STABLE = {1.0, 0.3};
  /**
   * Unstable system of table 1: {@code a = 1.03}, closed loop 1.02, so the raw expert's actions
   * ({@code -0.01 x}) stay inside the quantizer's range [-1, 1] up to H = 256 and only the quantization
   * error is amplified.
   */
  public static final double[] UNSTABLE = {1.03, 1.02};

  private final List<BinningExperiment.Cell> stable = new ArrayList<>();
  private final List<BinningExperiment.Cell> unstable = new ArrayList<>();
  private final List<TrapExperiment.Row> trap = new ArrayList<>();

  /** Runs both tables with {@code episodes} initial states per cell and horizon {@code trapHorizon} for table 2. */
  public TheoryTables(int episodes, int trapHorizon, long seed) {
    for (int b : BINS) {
      for (int h : HORIZONS) {
        stable.add(BinningExperiment.run(STABLE[0], STABLE[1], b, h, episodes, seed));
        unstable.add(BinningExperiment.run(UNSTABLE[0], UNSTABLE[1], b, h, episodes, seed));
      }
    }
    for (double eps : EPS) {
      trap.add(TrapExperiment.run(eps, trapHorizon, episodes, seed));
    }
  }

  /** Table 1 cells of the stable system. */
  public List<BinningExperiment.Cell> stable() {
    return stable;
  }

  /** Table 1 cells of the unstable system. */
  public List<BinningExperiment.Cell> unstable() {
    return unstable;
  }

  /** Table 2 rows. */
  public List<TrapExperiment.Row> trap() {
    return trap;
  }

  /** Both tables as text, with what theory predicts. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("Table 1. Quantized expert executed directly: x' = a x + u, expert closes the loop at rho.\n");
    sb.append("Prediction (Cao & Xie 2026, Thm 3 / papers.md claims 1-2): stable -> deviation ~ 1/B, flat in H;\n");
    sb.append("regret ~ H/B; unstable -> deviation ~ rho^H / B.\n\n");
    sb.append(String.format("| B | H | stable deviation | stable regret | unstable deviation | unstable regret |%n"));
    sb.append("|---|---|---|---|---|---|\n");
    for (int i = 0; i < stable.size(); i++) {
      BinningExperiment.Cell s = stable.get(i);
      BinningExperiment.Cell u = unstable.get(i);
      sb.append(String.format("| %d | %d | %.3e | %.3e | %.3e | %.3e |%n", s.bins(), s.horizon(), s.deviation(), s.regret(),
          u.deviation(), u.regret()));
    }
    sb.append("\nTable 2. Theorem-6 trap (A=0.2, B=0.3, k=2, d=1.2, x1 ~ N(0,1)): error and regret per step.\n");
    sb.append("Prediction (papers.md claims 4-5): in-distribution error ~6-7 eps; learned regret 0.6-0.73 flat in eps;\n");
    sb.append("binning ~0.31 eps; learned + model-based augmentation O(eps) (3.6-5.8 eps).\n\n");
    sb.append("| eps | in-dist. error | (/eps) | learned regret | binning regret | (/eps) | learned + model | (/eps) |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (TrapExperiment.Row r : trap) {
      sb.append(String.format("| 1/%d | %.3e | %.2f | %.4f | %.3e | %.2f | %.3e | %.2f |%n", Math.round(1 / r.eps()),
          r.inDistributionError(), r.inDistributionError() / r.eps(), r.learnedRegret(), r.binnedRegret(),
          r.binnedRegret() / r.eps(), r.modelRegret(), r.modelRegret() / r.eps()));
    }
    return sb.toString();
  }

  /** Table 1 as CSV. */
  public String binningCsv() {
    StringBuilder sb = new StringBuilder("system,rho,bins,horizon,deviation,regret\n");
    for (BinningExperiment.Cell c : stable) {
      sb.append(String.format("stable,%s,%d,%d,%s,%s%n", c.rho(), c.bins(), c.horizon(), c.deviation(), c.regret()));
    }
    for (BinningExperiment.Cell c : unstable) {
      sb.append(String.format("unstable,%s,%d,%d,%s,%s%n", c.rho(), c.bins(), c.horizon(), c.deviation(), c.regret()));
    }
    return sb.toString();
  }

  /** Table 2 as CSV. */
  public String trapCsv() {
    StringBuilder sb = new StringBuilder("eps,in_distribution_error,learned_regret,binned_regret,model_regret\n");
    for (TrapExperiment.Row r : trap) {
      sb.append(String.format("%s,%s,%s,%s,%s%n", r.eps(), r.inDistributionError(), r.learnedRegret(), r.binnedRegret(),
          r.modelRegret()));
    }
    return sb.toString();
  }
}
