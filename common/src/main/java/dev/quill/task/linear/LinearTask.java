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
  private static final String[] STATE_NAMES = {"x0", "x1", "x2", "x3"};
  private static final String[] ACTION_NAMES = {"u0", "u1"};

  private final int horizon;
  private final double expertNoise;

  /**
   * Creates the task.
   *
   * @param horizon number of steps of every episode, at least 1
   * @param expertNoise standard deviation of the Gaussian noise on the expert's action, finite and
   *     non-negative
   * @throws IllegalArgumentException if an argument is out of range
   */
  public LinearTask(int horizon, double expertNoise) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
    }
    if (!(expertNoise >= 0.0 && Double.isFinite(expertNoise))) {
      throw new IllegalArgumentException("expertNoise must be finite and >= 0, got " + expertNoise);
    }
    this.horizon = horizon;
    this.expertNoise = expertNoise;
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

  /** Returns {@code "linear"}. */
  @Override
  public String name() {
    return "linear";
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
    return new LinearEpisode(horizon, expertNoise, seed);
  }

  /** Returns {@code true}: success is a small final state, see the class documentation. */
  @Override
  public boolean hasSuccess() {
    return true;
  }

  /** Name, horizon and expert noise. */
  @Override
  public String toString() {
    return "LinearTask[horizon=" + horizon + ", expertNoise=" + expertNoise + "]";
  }
}
