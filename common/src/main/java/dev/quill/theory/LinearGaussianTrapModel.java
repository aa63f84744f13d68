package dev.quill.theory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * A transition model of the {@link TrapQuantizer} expert learned from its trajectories (the model of Cao
 * &amp; Xie 2026, Algorithm 1, fitted by maximum likelihood as in papers.md B8): for each token {@code y} a
 * linear-Gaussian law {@code x' ~ N(theta_y . phi(x, u) + bias, s_y^2)} over the features
 * {@code phi = (x, arctan x, u, 1)}, {@code u} the token's decoded action. The Gaussian MLE is the least
 * squares fit (minimum-norm, by SVD, so collinear features such as {@code u = arctan x - eps/2} are
 * harmless) plus the mean squared residual. The class is realizable for a deterministic expert
 * ({@code theta = (A, B, 0, 0)}) and for the default token of a Gaussian expert
 * ({@code x' = A x + B (u + eps/2)}); for the three trap codes of a stochastic expert the raw action is a
 * truncated Gaussian inside the code's action interval, which the Gaussian class approximates to within
 * that interval's width times {@code B}. A code seen fewer than {@value #MIN_SAMPLES} times borrows the fit
 * pooled over all trap codes (or all data). {@code bias != 0} gives the biased control of claim 5 (a model
 * with a non-vanishing error). Immutable.
 */
public final class LinearGaussianTrapModel implements TrapModel {
  /** Fewest transitions a token needs for its own fit. */
  public static final int MIN_SAMPLES = 8;

  /**
   * One expert transition as the learner sees it.
   *
   * @param x state
   * @param token the token of the expert's action
   * @param decoded the token's decoded action
   * @param next the next state
   */
  public record Transition(double x, TrapQuantizer.Token token, double decoded, double next) {}

  private record Fit(double[] theta, double sigma) {}

  private final Map<TrapQuantizer.Token, Fit> fits;
  private final double bias;

  private LinearGaussianTrapModel(Map<TrapQuantizer.Token, Fit> fits, double bias) {
    this.fits = fits;
    this.bias = bias;
  }

  /** Fits the model to {@code data}, which must hold at least {@value #MIN_SAMPLES} transitions. */
  public static LinearGaussianTrapModel fit(List<Transition> data) {
    if (data.size() < MIN_SAMPLES) {
      throw new IllegalArgumentException("model fit needs at least " + MIN_SAMPLES + " transitions, got " + data.size());
    }
    List<Transition> codes = new ArrayList<>();
    for (Transition t : data) {
      if (t.token() != TrapQuantizer.Token.DEFAULT) {
        codes.add(t);
      }
    }
    Fit pooled = solve(codes.size() >= MIN_SAMPLES ? codes : data);
    Map<TrapQuantizer.Token, Fit> fits = new EnumMap<>(TrapQuantizer.Token.class);
    for (TrapQuantizer.Token token : TrapQuantizer.Token.values()) {
      List<Transition> own = data.stream().filter(t -> t.token() == token).toList();
      fits.put(token, own.size() >= MIN_SAMPLES ? solve(own) : token == TrapQuantizer.Token.DEFAULT ? solve(data) : pooled);
    }
    return new LinearGaussianTrapModel(fits, 0.0);
  }

  private static Fit solve(List<Transition> rows) {
    double[][] design = new double[rows.size()][];
    double[] target = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Transition t = rows.get(i);
      design[i] = features(t.x(), t.decoded());
      target[i] = t.next();
    }
    Array2DRowRealMatrix matrix = new Array2DRowRealMatrix(design, false);
    RealVector theta = new SingularValueDecomposition(matrix).getSolver().solve(new ArrayRealVector(target, false));
    RealVector residual = matrix.operate(theta).subtract(new ArrayRealVector(target, false));
    return new Fit(theta.toArray(), Math.sqrt(residual.dotProduct(residual) / rows.size()));
  }

  private static double[] features(double x, double decoded) {
    return new double[] {x, Math.atan(x), decoded, 1.0};
  }

  /** The same model with {@code bias} added to every mean: the biased control of claim 5. */
  public LinearGaussianTrapModel withBias(double bias) {
    return new LinearGaussianTrapModel(fits, bias);
  }

  /** The mean of {@code x'} given state {@code x} and token {@code token} decoded as {@code decoded}. */
  public double mean(double x, TrapQuantizer.Token token, double decoded) {
    double[] theta = fits.get(token).theta();
    double[] phi = features(x, decoded);
    double m = bias;
    for (int i = 0; i < phi.length; i++) {
      m += theta[i] * phi[i];
    }
    return m;
  }

  /** The fitted standard deviation of {@code x'} for {@code token}. */
  public double sigma(TrapQuantizer.Token token) {
    return fits.get(token).sigma();
  }

  /** Samples {@code N(mean, sigma^2)}; ignores {@code rawAction}, which a learned model never sees. */
  @Override
  public double next(double x, TrapQuantizer.Token token, double decoded, double rawAction, SplittableRandom rng) {
    double s = sigma(token);
    return mean(x, token, decoded) + (s == 0 ? 0 : s * TrapExperiment.gaussian(rng));
  }
}
