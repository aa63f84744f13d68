package dev.quill.task.linear;

import dev.quill.task.Actions;
import dev.quill.task.StepResult;
import dev.quill.task.TaskEpisode;
import java.util.Random;

/**
 * One episode of {@link LinearTask}. The initial state is {@code N(0, I)} from {@code new Random(seed)};
 * the expert noise for step {@code t} is drawn from {@code new Random(seed ^ NOISE_SALT)} when the episode
 * reaches step {@code t}, so it depends only on the seed and the step, not on how often
 * {@link #expertAction()} is called.
 */
final class LinearEpisode implements TaskEpisode {
  static final long NOISE_SALT = 0x9E3779B97F4A7C15L;

  private final double[][] a;
  private final double[][] b = LinearTask.B;
  private final double[][] q = LinearTask.Q;
  private final double[][] r = LinearTask.R;
  private final double[][] k;
  private final int horizon;
  private final double expertNoise;
  private final Random noise;
  private final double[] x;
  private final double[] stepNoise;
  private int steps;
  private boolean done;

  /** An episode of the system {@code x' = a x + B u} with expert gain {@code k}. */
  LinearEpisode(double[][] a, double[][] k, int horizon, double expertNoise, long seed) {
    this.a = a;
    this.k = k;
    this.horizon = horizon;
    this.expertNoise = expertNoise;
    Random init = new Random(seed);
    this.x = new double[a.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = init.nextGaussian();
    }
    this.noise = new Random(seed ^ NOISE_SALT);
    this.stepNoise = new double[k.length];
    drawNoise();
  }

  @Override
  public double[] state() {
    return x.clone();
  }

  @Override
  public double[] expertAction() {
    double[] u = new double[k.length];
    for (int i = 0; i < u.length; i++) {
      double s = 0.0;
      for (int j = 0; j < x.length; j++) {
        s -= k[i][j] * x[j];
      }
      u[i] = clip(s + expertNoise * stepNoise[i]);
    }
    return u;
  }

  @Override
  public StepResult step(double[] action) {
    if (done) {
      throw new IllegalStateException("episode is done after " + steps + " steps; start a new one");
    }
    double[] u = checkedAction(action);
    double cost = quadraticForm(q, x) + quadraticForm(r, u);
    double[] next = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = 0.0;
      for (int j = 0; j < x.length; j++) {
        s += a[i][j] * x[j];
      }
      for (int j = 0; j < u.length; j++) {
        s += b[i][j] * u[j];
      }
      next[i] = s;
    }
    System.arraycopy(next, 0, x, 0, x.length);
    steps++;
    drawNoise();
    if (steps < horizon) {
      return new StepResult(-cost, false, false, "");
    }
    done = true;
    boolean success = norm(x) <= LinearTask.SUCCESS_RADIUS;
    return new StepResult(-cost, true, success, success ? "success" : "horizon");
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public boolean done() {
    return done;
  }

  private double[] checkedAction(double[] action) {
    Actions.check(action, k.length);
    double[] u = new double[action.length];
    for (int i = 0; i < action.length; i++) {
      u[i] = clip(action[i]);
    }
    return u;
  }

  private void drawNoise() {
    for (int i = 0; i < stepNoise.length; i++) {
      stepNoise[i] = noise.nextGaussian();
    }
  }

  private static double clip(double v) {
    return Math.max(-LinearTask.ACTION_LIMIT, Math.min(LinearTask.ACTION_LIMIT, v));
  }

  private static double quadraticForm(double[][] m, double[] v) {
    double s = 0.0;
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < v.length; j++) {
        s += v[i] * m[i][j] * v[j];
      }
    }
    return s;
  }

  private static double norm(double[] v) {
    double s = 0.0;
    for (double vi : v) {
      s += vi * vi;
    }
    return Math.sqrt(s);
  }
}
