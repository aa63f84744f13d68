package dev.quill.theory;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Table 2 of {@code quill experiment bc-theory}: on the {@link TrapQuantizer} instance, the learned
 * quantizer's in-distribution error (along the expert's own trajectories) and the deployed regret per
 * step of three deployments, each averaged over {@code episodes} initial states {@code x_1 ~ N(0, 1)}
 * and {@code horizon} steps:
 * <ul>
 *   <li>learned: the quantizer's decoded action executed in feedback;
 *   <li>binning: uniform bins of width eps executed in feedback;
 *   <li>learned + model: the policy is queried on an imagined state advanced by a model of the expert's
 *       closed loop ({@code x~' = A x~ + B arctan x~}, exact, as in the reproduction audit) while its
 *       decoded action drives the real system (Cao &amp; Xie 2026, Algorithm 1 / Theorem 7 as reconstructed
 *       in papers.md B8).
 * </ul>
 * Regret per step is {@code |u_t - arctan(x_t)|} at the real state (the reward is {@code 1 - |u - pi*(x)|}).
 */
public final class TrapExperiment {
  private TrapExperiment() {}

  /**
   * One row of table 2.
   *
   * @param eps quantizer resolution
   * @param inDistributionError mean |learned(x) - arctan x| along expert trajectories
   * @param learnedRegret regret per step of the learned quantizer in feedback
   * @param binnedRegret regret per step of binning in feedback
   * @param modelRegret regret per step of the learned quantizer with model-based augmentation
   */
  public record Row(double eps, double inDistributionError, double learnedRegret, double binnedRegret, double modelRegret) {}

  /** Runs the experiment for one eps. */
  public static Row run(double eps, int horizon, int episodes, long seed) {
    TrapQuantizer q = new TrapQuantizer(eps);
    SplittableRandom rng = new SplittableRandom(seed);
    double inDist = 0;
    double learned = 0;
    double binned = 0;
    double model = 0;
    for (int e = 0; e < episodes; e++) {
      double x1 = gaussian(rng);
      inDist += expertError(q, x1, horizon);
      learned += feedbackRegret(q::learned, x1, horizon);
      binned += feedbackRegret(q::binned, x1, horizon);
      model += modelRegret(q, x1, horizon);
    }
    return new Row(eps, inDist / episodes, learned / episodes, binned / episodes, model / episodes);
  }

  private static double expertError(TrapQuantizer q, double x, int horizon) {
    double sum = 0;
    for (int t = 0; t < horizon; t++) {
      sum += Math.abs(q.learned(x) - TrapQuantizer.expert(x));
      x = TrapQuantizer.step(x, TrapQuantizer.expert(x));
    }
    return sum / horizon;
  }

  private static double feedbackRegret(DoubleUnaryOperator policy, double x, int horizon) {
    double sum = 0;
    for (int t = 0; t < horizon; t++) {
      double u = policy.applyAsDouble(x);
      sum += Math.abs(u - TrapQuantizer.expert(x));
      x = TrapQuantizer.step(x, u);
    }
    return sum / horizon;
  }

  private static double modelRegret(TrapQuantizer q, double x, int horizon) {
    double imagined = x;
    double sum = 0;
    for (int t = 0; t < horizon; t++) {
      double u = q.learned(imagined);
      sum += Math.abs(u - TrapQuantizer.expert(x));
      x = TrapQuantizer.step(x, u);
      imagined = TrapQuantizer.step(imagined, TrapQuantizer.expert(imagined));
    }
    return sum / horizon;
  }

  static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
