package dev.quill.task.linear;

import dev.quill.task.Task;
import dev.quill.task.TaskEpisode;

/**
 * The {@code linear} task: a stable discrete-time linear system {@code x' = A x + B u} with four state and
 * two action dimensions, stage cost {@code c = x'Qx + u'Ru} (with {@code Q = I}, {@code R = 0.1 I}) on the
 * current state and the applied action, and reward {@code -c}; an episode's return is minus its quadratic
 * cost.
 *
 * <p>Episodes start at {@code x0 ~ N(0, I)} drawn from the seed and run for exactly {@link #horizon()}
 * steps. Each action component is clipped to {@code [-ACTION_LIMIT, ACTION_LIMIT] = [-20, 20]}. The
 * expert is the infinite-horizon LQR controller {@code u = -K x} (see {@link Lqr}) plus Gaussian noise of
 * standard deviation {@code expertNoise} per component, then clipped like any action.
 *
 * <p>{@code linear-unstable} ({@link #LinearTask(int, double, boolean)} with {@code unstable}) is the same
 * task on {@code A_u = } {@value #UNSTABLE_SCALE} {@code · A} (open loop spectral radius about 1.25) with
 * the LQR expert of {@code A_u}: the expert's closed loop {@code A_u - B K_u} is stable (spectral radius
 * about 0.76), but a perturbed expert that applies half its gain, {@code A_u - B K_u / 2}, has closed-loop
 * gain above 1 (determinant 1.07, so spectral radius at least 1.017): action errors of an imitating policy
 * compound exponentially (papers.md part 1, the unstable case {@code alpha > 1} of incremental stability),
 * whereas on {@code linear} the same perturbation stays stable (spectral radius about 0.92).
 *
 * <p>Success: the last step reports {@code success = true} and event {@code "success"} when the final
 * state satisfies {@code ||x_H||_2 <=} {@value #SUCCESS_RADIUS}, otherwise event {@code "horizon"}; no
 * earlier step ends the episode.
 */
public final class LinearTask implements Task {
  /** Episode length used when a config leaves the horizon at its default. */
  public static final int DEFAULT_HORIZON = 50;

  /** Largest absolute value of an applied action component. */
  public static final double ACTION_LIMIT = 20.0;

  /** A final state with Euclidean norm at most this counts as success. */
  public static final double SUCCESS_RADIUS = 0.25;

  static final double[][] A = {
    {1.0, 0.1, 0.0, 0.0},
    {-0.1, 0.95, 0.05, 0.0},
    {0.0, 0.0, 1.0, 0.1},
    {0.0, 0.05, -0.1, 0.95},
  };
  static final double[][] B = {{0.0, 0.0}, {0.1, 0.0}, {0.0, 0.0}, {0.0, 0.1}};
  static final double[][] Q = {
    {1.0, 0.0, 0.0, 0.0}, {0.0, 1.0, 0.0, 0.0}, {0.0, 0.0, 1.0, 0.0}, {0.0, 0.0, 0.0, 1.0},
  };
  static final double[][] R = {{0.1, 0.0}, {0.0, 0.1}};
  static final double[][] K = Lqr.solve(A, B, Q, R).k();
  /** Factor applied to {@code A} in the {@code linear-unstable} variant. */
  public static final double UNSTABLE_SCALE = 1.25;
  static final double[][] A_UNSTABLE = scaled(A, UNSTABLE_SCALE);
  static final double[][] K_UNSTABLE = Lqr.solve(A_UNSTABLE, B, Q, R).k();
  private static final String[] STATE_NAMES = {"x0", "x1", "x2", "x3"};
  private static final String[] ACTION_NAMES = {"u0", "u1"};

  private final int horizon;
  private final double expertNoise;
  private final boolean unstable;

  /**
   * Creates the task.
   *
   * @param horizon number of steps of every episode, at least 1
   * @param expertNoise standard deviation of the Gaussian noise on the expert's action, finite and
   *     non-negative
   * @throws IllegalArgumentException if an argument is out of range
   */
  public LinearTask(int horizon, double expertNoise) {
    this(horizon, expertNoise, false);
  }

  /**
   * Creates the task or, with {@code unstable}, its {@code linear-unstable} variant (see the class
   * documentation).
   *
   * @throws IllegalArgumentException if an argument is out of range
   */
  public LinearTask(int horizon, double expertNoise, boolean unstable) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
    }
    if (!(expertNoise >= 0.0 && Double.isFinite(expertNoise))) {
      throw new IllegalArgumentException("expertNoise must be finite and >= 0, got " + expertNoise);
    }
    this.horizon = horizon;
    this.expertNoise = expertNoise;
    this.unstable = unstable;
  }

  /** The state matrix {@code A_u = 1.25 A} of {@code linear-unstable}, a fresh copy. */
  public static double[][] unstableStateMatrix() {
    return SmallMatrix.copy(A_UNSTABLE);
  }

  /** The expert's LQR gain {@code K_u} (2×4) of {@code linear-unstable}, a copy. */
  public static double[][] unstableGain() {
    return SmallMatrix.copy(K_UNSTABLE);
  }

  private static double[][] scaled(double[][] m, double f) {
    double[][] out = SmallMatrix.copy(m);
    for (double[] row : out) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= f;
      }
    }
    return out;
  }

  /** The state matrix {@code A} (4×4), a fresh copy. */
  public static double[][] stateMatrix() {
    return SmallMatrix.copy(A);
  }

  /** The input matrix {@code B} (4×2), a fresh copy. */
  public static double[][] inputMatrix() {
    return SmallMatrix.copy(B);
  }

  /** The state cost {@code Q = I} (4×4), a fresh copy. */
  public static double[][] stateCost() {
    return SmallMatrix.copy(Q);
  }

  /** The action cost {@code R = 0.1 I} (2×2), a fresh copy. */
  public static double[][] actionCost() {
    return SmallMatrix.copy(R);
  }

  /** The expert's LQR gain {@code K} (2×4), so that the noiseless expert plays {@code u = -K x}; a copy. */
  public static double[][] gain() {
    return SmallMatrix.copy(K);
  }

  /** Returns {@code "linear"}, or {@code "linear-unstable"} for the unstable variant. */
  @Override
  public String name() {
    return unstable ? "linear-unstable" : "linear";
  }

  /** Returns 4. */
  @Override
  public int stateDim() {
    return STATE_NAMES.length;
  }

  /** Returns 2. */
  @Override
  public int actionDim() {
    return ACTION_NAMES.length;
  }

  /** The number of steps of every episode. */
  @Override
  public int horizon() {
    return horizon;
  }

  /** Standard deviation of the Gaussian noise added to each expert action component. */
  public double expertNoise() {
    return expertNoise;
  }

  /** Returns {@code x0, x1, x2, x3}. */
  @Override
  public String[] stateNames() {
    return STATE_NAMES.clone();
  }

  /** Returns {@code u0, u1}. */
  @Override
  public String[] actionNames() {
    return ACTION_NAMES.clone();
  }

  /** Starts an episode at {@code x0 ~ N(0, I)} drawn from {@code seed}. */
  @Override
  public TaskEpisode newEpisode(long seed) {
    return unstable ? new LinearEpisode(A_UNSTABLE, K_UNSTABLE, horizon, expertNoise, seed)
        : new LinearEpisode(A, K, horizon, expertNoise, seed);
  }

  /** Returns {@code true}: success is a small final state, see the class documentation. */
  @Override
  public boolean hasSuccess() {
    return true;
  }

  /** Name, horizon and expert noise. */
  @Override
  public String toString() {
    return "LinearTask[" + name() + ", horizon=" + horizon + ", expertNoise=" + expertNoise + "]";
  }
}
