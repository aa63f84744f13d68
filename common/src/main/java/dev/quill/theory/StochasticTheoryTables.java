package dev.quill.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tables 4–6 of {@code quill experiment bc-theory} (claims 7, 6 and 5 of papers.md, Cao &amp; Xie 2026),
 * all on the Theorem-6 instance with the Gaussian expert of {@link StochasticTrapExperiment}, rendered as
 * text and CSV:
 * <ol>
 *   <li value="4">per-step regret versus eps for expert noise {@link #SIGMAS}: the learned quantizer,
 *       binning and model-based augmentation (exact model);
 *   <li value="5">total regret versus horizon {@link #HORIZONS} at eps = {@link #SWEEP_EPS}, plain feedback
 *       versus model-based augmentation, with the fitted log-log slope in H;
 *   <li value="6">model-based augmentation with the exact, the learned ({@link LinearGaussianTrapModel}
 *       fitted on expert trajectories) and a biased model ({@link #MODEL_BIAS} added to the learned mean),
 *       per-step regret versus eps for {@link #MODEL_SIGMAS}.
 * </ol>
 */
public final class StochasticTheoryTables {
  /**
   * Expert noise levels of table 4, as {@code {absolute, multiple of eps}} pairs: 0 (table 2), 4 eps and
   * 16 eps (the chance of hitting a trap code's action interval, about eps/sigma, held fixed as eps
   * shrinks), and 0.05 and 0.1 (a fixed noise, so sigma/eps grows up to 205).
   */
  public static final double[][] SIGMAS = {{0, 0}, {0, 4}, {0, 16}, {0.05, 0}, {0.1, 0}};
  /** Horizons of table 5. */
  public static final int[] HORIZONS = {16, 32, 64, 128, 256, 512};
  /** Resolution of table 5. */
  public static final double SWEEP_EPS = 1.0 / 128;
  /** Expert noise levels of table 5 (0 for reference). */
  public static final double[] SWEEP_SIGMAS = {0, 0.05, 0.1};
  /** Expert noise levels of table 6. */
  public static final double[] MODEL_SIGMAS = {0, 0.05};
  /** Bias of table 6's biased model, in state units. */
  public static final double MODEL_BIAS = 0.05;

  /**
   * One row of table 6.
   *
   * @param eps resolution
   * @param sigma expert noise
   * @param exact regret per step with the exact model
   * @param learned with the learned model
   * @param biased with the biased model
   */
  public record ModelRow(double eps, double sigma, double exact, double learned, double biased) {}

  private final List<StochasticTrapExperiment.Row> noise = new ArrayList<>();
  private final List<StochasticTrapExperiment.Row> sweep = new ArrayList<>();
  private final List<ModelRow> models = new ArrayList<>();

  /** Runs the three tables with {@code episodes} initial states and horizon {@code horizon} (tables 4 and 6). */
  public StochasticTheoryTables(int episodes, int horizon, long seed) {
    for (double[] s : SIGMAS) {
      for (double eps : TheoryTables.EPS) {
        noise.add(StochasticTrapExperiment.run(eps, s[0] + s[1] * eps, horizon, episodes, seed));
      }
    }
    for (double sigma : SWEEP_SIGMAS) {
      for (int h : HORIZONS) {
        sweep.add(StochasticTrapExperiment.run(SWEEP_EPS, sigma, h, episodes, seed));
      }
    }
    for (double sigma : MODEL_SIGMAS) {
      for (double eps : TheoryTables.EPS) {
        LinearGaussianTrapModel model = LinearGaussianTrapModel.fit(
            StochasticTrapExperiment.expertTransitions(eps, sigma, horizon, episodes, seed));
        models.add(new ModelRow(eps, sigma,
            StochasticTrapExperiment.augmented(eps, TrapModel.exact(), sigma, horizon, episodes, seed).regret(),
            StochasticTrapExperiment.augmented(eps, model, sigma, horizon, episodes, seed).regret(),
            StochasticTrapExperiment.augmented(eps, model.withBias(MODEL_BIAS), sigma, horizon, episodes, seed).regret()));
      }
    }
  }

  /** Table 4 rows. */
  public List<StochasticTrapExperiment.Row> noise() {
    return noise;
  }

  /** Table 5 rows. */
  public List<StochasticTrapExperiment.Row> sweep() {
    return sweep;
  }

  /** Table 6 rows. */
  public List<ModelRow> models() {
    return models;
  }

  /**
   * Table 5's fitted exponent of total regret in H for expert noise {@code sigma} over horizons
   * {@code >= minHorizon}: plain feedback if {@code model} is false, else model-based augmentation; NaN
   * when a total regret is not positive.
   */
  public double slope(double sigma, boolean model, int minHorizon) {
    List<StochasticTrapExperiment.Row> rows = sweep.stream().filter(r -> r.sigma() == sigma && r.horizon() >= minHorizon).toList();
    double[] h = rows.stream().mapToDouble(StochasticTrapExperiment.Row::horizon).toArray();
    double[] total = rows.stream().mapToDouble(r -> (model ? r.model() : r.learned()).regret() * r.horizon()).toArray();
    return Arrays.stream(total).allMatch(v -> v > 0) ? LogLogSlope.fit(h, total) : Double.NaN;
  }

  /** The three tables as text, with what theory predicts. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("\nTable 4. Theorem-6 trap with a Gaussian expert N(arctan x, sigma^2); the quantizer acts on the sampled action.\n");
    sb.append("Regret per step against the stochastic expert's own return; 'error' is against the deterministic arctan.\n");
    sb.append("Prediction (papers.md claim 7): the learned quantizer's flat Omega(1) regret shrinks or vanishes as sigma grows.\n\n");
    sb.append("| sigma | eps | in-dist. error (/eps) | learned regret | (/eps) | learned error | binning regret | binning error "
        + "| learned + model (/eps) |\n|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < noise.size(); i++) {
      StochasticTrapExperiment.Row r = noise.get(i);
      double[] level = SIGMAS[i / TheoryTables.EPS.length];
      String sigma = level[1] > 0 ? String.format("%.4g (%d eps)", r.sigma(), (int) level[1]) : String.format("%.4g", r.sigma());
      sb.append(String.format("| %s | 1/%d | %.2f | %.4g | %.2f | %.4g | %.2e | %.4g | %.2f |%n", sigma, Math.round(1 / r.eps()),
          r.inDistributionError() / r.eps(), r.learned().regret(), r.learned().regret() / r.eps(), r.learned().error(),
          r.binned().regret(), r.binned().error(), r.model().regret() / r.eps()));
    }
    sb.append(String.format("%nTable 5. Total regret vs horizon at eps = 1/%d (claim 6: plain ~ H^2, model-based ~ H).%n%n",
        Math.round(1 / SWEEP_EPS)));
    sb.append("| sigma | H | plain total regret | model-based total regret |\n|---|---|---|---|\n");
    for (StochasticTrapExperiment.Row r : sweep) {
      sb.append(String.format("| %.3g | %d | %.4g | %.4g |%n", r.sigma(), r.horizon(), r.learned().regret() * r.horizon(),
          r.model().regret() * r.horizon()));
    }
    sb.append("\n| sigma | plain slope (all H) | plain slope (H >= 64) | model slope (all H) | model slope (H >= 64) |\n|---|---|---|---|---|\n");
    for (double sigma : SWEEP_SIGMAS) {
      sb.append(String.format("| %.3g | %.3f | %.3f | %.3f | %.3f |%n", sigma, slope(sigma, false, 0), slope(sigma, false, 64),
          slope(sigma, true, 0), slope(sigma, true, 64)));
    }
    sb.append(String.format("%nTable 6. Model-based augmentation with the exact, the learned (linear-Gaussian, fitted on expert%n"
        + "trajectories) and a biased model (learned mean + %.2f); regret per step.%n", MODEL_BIAS));
    sb.append("Prediction (papers.md claim 5): exact and learned O(eps); biased adds a floor that does not shrink with eps.\n\n");
    sb.append("| sigma | eps | exact | (/eps) | learned | (/eps) | biased |\n|---|---|---|---|---|---|---|\n");
    for (ModelRow r : models) {
      sb.append(String.format("| %.3g | 1/%d | %.3e | %.2f | %.3e | %.2f | %.4f |%n", r.sigma(), Math.round(1 / r.eps()), r.exact(),
          r.exact() / r.eps(), r.learned(), r.learned() / r.eps(), r.biased()));
    }
    return sb.toString();
  }

  /** Table 4 as CSV. */
  public String noiseCsv() {
    return rowsCsv(noise);
  }

  /** Table 5 as CSV (regrets per step; multiply by horizon for totals). */
  public String sweepCsv() {
    return rowsCsv(sweep);
  }

  /** Table 6 as CSV. */
  public String modelsCsv() {
    StringBuilder sb = new StringBuilder("eps,sigma,exact_regret,learned_model_regret,biased_model_regret\n");
    for (ModelRow r : models) {
      sb.append(String.format("%s,%s,%s,%s,%s%n", r.eps(), r.sigma(), r.exact(), r.learned(), r.biased()));
    }
    return sb.toString();
  }

  private static String rowsCsv(List<StochasticTrapExperiment.Row> rows) {
    StringBuilder sb = new StringBuilder("eps,sigma,horizon,in_distribution_error,learned_regret,learned_error,binned_regret,"
        + "binned_error,model_regret,model_error\n");
    for (StochasticTrapExperiment.Row r : rows) {
      sb.append(String.format("%s,%s,%d,%s,%s,%s,%s,%s,%s,%s%n", r.eps(), r.sigma(), r.horizon(), r.inDistributionError(),
          r.learned().regret(), r.learned().error(), r.binned().regret(), r.binned().error(), r.model().regret(),
          r.model().error()));
    }
    return sb.toString();
  }
}
