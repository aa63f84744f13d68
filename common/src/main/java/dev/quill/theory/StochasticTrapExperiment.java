package dev.quill.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Claims 5–7 of papers.md on the {@link TrapQuantizer} instance with a Gaussian expert
 * {@code pi*(.|x) = N(arctan x, sigma^2)} (the deterministic expert of table 2 when {@code sigma = 0}).
 *
 * <p>Definitions. The quantizer acts on the expert's sampled action {@code a}, so the quantized expert
 * {@code q#pi*(.|x)} is the law of {@code q(a)}; with infinite data and a realizable class log-loss BC
 * recovers it exactly, so the deployed policy samples {@code a ~ pi*(.|x)} and executes {@code q(a)}
 * (learned quantizer: {@link TrapQuantizer#quantizeAction}; binning: {@link TrapQuantizer#binAction}).
 * The reward is {@code 1 - |u - arctan x|}. Regret is measured, as in Cao &amp; Xie (2026, Theorem 2),
 * against the stochastic expert's own return: {@code J(pi*) - J(pi^)} per step
 * {@code = E|u_t - arctan x_t| - sigma sqrt(2/pi)}. It is estimated with the per-step control variate
 * {@code |u_t - arctan x_t| - sigma |xi_t|} ({@code xi_t} the noise behind {@code u_t}; unbiased because
 * {@code E sigma|xi_t| = sigma sqrt(2/pi)} at every state), which removes the expert's own noise from the
 * estimate. The error against the deterministic {@code arctan} (the regret to the noise-free expert) is
 * reported alongside. Model-based augmentation queries the policy on an imagined state advanced by a
 * {@link TrapModel} while the decoded action drives the real system. Initial states {@code x_1 ~ N(0, 1)}
 * use the same stream as {@link TrapExperiment}, so {@code sigma = 0} reproduces table 2 exactly; all
 * deployments of an episode share its noise (common random numbers).
 */
public final class StochasticTrapExperiment {
  private static final long NOISE_SALT = 0x9E3779B97F4A7C15L;
  private static final long MODEL_SALT = 0x5DEECE66DL;
  private static final long DATA_SALT = 1000;

  private StochasticTrapExperiment() {}

  /**
   * Regret of one deployment, per step.
   *
   * @param regret {@code J(pi*) - J(pi^)} per step against the stochastic expert
   * @param error {@code E|u - arctan x|} per step (regret against the deterministic expert)
   */
  public record Regret(double regret, double error) {}

  /**
   * One (eps, sigma, horizon) cell.
   *
   * @param eps quantizer resolution
   * @param sigma expert noise
   * @param horizon steps
   * @param inDistributionError {@code E|q(a) - a|} per step along the expert's own trajectories
   * @param learned the learned quantizer in feedback
   * @param binned binning in feedback
   * @param model the learned quantizer with model-based augmentation, exact model
   */
  public record Row(double eps, double sigma, int horizon, double inDistributionError, Regret learned, Regret binned,
      Regret model) {}

  /** Runs one cell with {@code episodes} initial states. */
  public static Row run(double eps, double sigma, int horizon, int episodes, long seed) {
    checkArgs(sigma, horizon, episodes);
    TrapQuantizer q = new TrapQuantizer(eps);
    return new Row(eps, sigma, horizon, inDistributionError(q, sigma, horizon, episodes, seed),
        feedback(q::quantizeAction, sigma, horizon, episodes, seed), feedback(q::binAction, sigma, horizon, episodes, seed),
        augmented(q, TrapModel.exact(), sigma, horizon, episodes, seed));
  }

  /** Regret of the learned quantizer deployed with model-based augmentation on {@code model}. */
  public static Regret augmented(double eps, TrapModel model, double sigma, int horizon, int episodes, long seed) {
    checkArgs(sigma, horizon, episodes);
    return augmented(new TrapQuantizer(eps), model, sigma, horizon, episodes, seed);
  }

  /**
   * Expert transitions as a learner sees them (state, token of the expert's action, decoded action, next
   * state): {@code episodes} trajectories of {@code horizon} steps, from a stream independent of the
   * evaluation's.
   */
  public static List<LinearGaussianTrapModel.Transition> expertTransitions(double eps, double sigma, int horizon,
      int episodes, long seed) {
    checkArgs(sigma, horizon, episodes);
    TrapQuantizer q = new TrapQuantizer(eps);
    SplittableRandom rng = new SplittableRandom(seed + DATA_SALT);
    List<LinearGaussianTrapModel.Transition> data = new ArrayList<>(horizon * episodes);
    for (int e = 0; e < episodes; e++) {
      double x = TrapExperiment.gaussian(rng);
      for (int t = 0; t < horizon; t++) {
        double a = Math.atan(x) + sigma * TrapExperiment.gaussian(rng);
        TrapQuantizer.Token token = q.tokenOfAction(a);
        double next = TrapQuantizer.step(x, a);
        data.add(new LinearGaussianTrapModel.Transition(x, token, q.decode(token, a), next));
        x = next;
      }
    }
    return data;
  }

  private static double inDistributionError(TrapQuantizer q, double sigma, int horizon, int episodes, long seed) {
    SplittableRandom init = new SplittableRandom(seed);
    SplittableRandom noise = new SplittableRandom(seed + NOISE_SALT);
    double total = 0;
    for (int e = 0; e < episodes; e++) {
      double x = TrapExperiment.gaussian(init);
      SplittableRandom rng = new SplittableRandom(noise.nextLong());
      double sum = 0;
      for (int t = 0; t < horizon; t++) {
        double a = Math.atan(x) + sigma * TrapExperiment.gaussian(rng);
        sum += Math.abs(q.quantizeAction(a) - a);
        x = TrapQuantizer.step(x, a);
      }
      total += sum / horizon;
    }
    return total / episodes;
  }

  private static Regret feedback(DoubleUnaryOperator quantizer, double sigma, int horizon, int episodes, long seed) {
    SplittableRandom init = new SplittableRandom(seed);
    SplittableRandom noise = new SplittableRandom(seed + NOISE_SALT);
    double regret = 0;
    double error = 0;
    for (int e = 0; e < episodes; e++) {
      double x = TrapExperiment.gaussian(init);
      SplittableRandom rng = new SplittableRandom(noise.nextLong());
      double r = 0;
      double err = 0;
      for (int t = 0; t < horizon; t++) {
        double xi = TrapExperiment.gaussian(rng);
        double u = quantizer.applyAsDouble(Math.atan(x) + sigma * xi);
        double loss = Math.abs(u - TrapQuantizer.expert(x));
        r += loss - sigma * Math.abs(xi);
        err += loss;
        x = TrapQuantizer.step(x, u);
      }
      regret += r / horizon;
      error += err / horizon;
    }
    return new Regret(regret / episodes, error / episodes);
  }

  private static Regret augmented(TrapQuantizer q, TrapModel model, double sigma, int horizon, int episodes, long seed) {
    SplittableRandom init = new SplittableRandom(seed);
    SplittableRandom noise = new SplittableRandom(seed + NOISE_SALT);
    double regret = 0;
    double error = 0;
    for (int e = 0; e < episodes; e++) {
      double x = TrapExperiment.gaussian(init);
      long s = noise.nextLong();
      SplittableRandom rng = new SplittableRandom(s);
      SplittableRandom modelRng = new SplittableRandom(s ^ MODEL_SALT);
      double imagined = x;
      double r = 0;
      double err = 0;
      for (int t = 0; t < horizon; t++) {
        double xi = TrapExperiment.gaussian(rng);
        double a = Math.atan(imagined) + sigma * xi;
        TrapQuantizer.Token token = q.tokenOfAction(a);
        double u = q.decode(token, a);
        double loss = Math.abs(u - TrapQuantizer.expert(x));
        r += loss - sigma * Math.abs(xi);
        err += loss;
        x = TrapQuantizer.step(x, u);
        imagined = model.next(imagined, token, u, a, modelRng);
      }
      regret += r / horizon;
      error += err / horizon;
    }
    return new Regret(regret / episodes, error / episodes);
  }

  private static void checkArgs(double sigma, int horizon, int episodes) {
    if (!(sigma >= 0 && sigma <= 1)) {
      throw new IllegalArgumentException("expert noise sigma must be in [0, 1], got " + sigma);
    }
    if (horizon < 1 || episodes < 1) {
      throw new IllegalArgumentException("horizon and episodes must be >= 1, got " + horizon + " and " + episodes);
    }
  }
}
