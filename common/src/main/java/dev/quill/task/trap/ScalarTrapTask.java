package dev.quill.task.trap;

import dev.quill.task.Actions;
import dev.quill.task.StepResult;
import dev.quill.task.Task;
import dev.quill.task.TaskEpisode;
import dev.quill.theory.TrapQuantizer;
import java.util.Random;

/**
 * The {@code scalar-trap} task: the scalar system of Cao &amp; Xie's Theorem 6, {@code x' = 0.2 x + 0.3 u},
 * expert {@code u = arctan x} (plus optional Gaussian noise), reward {@code 1 - |u - arctan x|} (so the
 * return's shortfall from the horizon is the summed action error), {@code x_1 ~ N(0, 1)}, actions clipped to
 * [-2, 2]. It has no success event. The deterministic expert's closed loop contracts to 0; a policy whose
 * decoded actions are non-smooth near 0 can be trapped away from it (see {@link TrapQuantizer}).
 * Immutable and thread-safe.
 */
public final class ScalarTrapTask implements Task {
  /** Episode length used when a config leaves the horizon at its default. */
  public static final int DEFAULT_HORIZON = 64;
  /** Largest action magnitude. */
  public static final double MAX_ACTION = 2.0;

  private final int horizon;
  private final double expertNoise;

  /** Creates the task with the given horizon (at least 1) and expert noise (std, non-negative). */
  public ScalarTrapTask(int horizon, double expertNoise) {
    if (horizon < 1 || !(expertNoise >= 0 && Double.isFinite(expertNoise))) {
      throw new IllegalArgumentException("horizon must be >= 1 and expertNoise finite and >= 0, got " + horizon
          + " and " + expertNoise);
    }
    this.horizon = horizon;
    this.expertNoise = expertNoise;
  }

  @Override
  public String name() {
    return "scalar-trap";
  }

  @Override
  public int stateDim() {
    return 1;
  }

  @Override
  public int actionDim() {
    return 1;
  }

  @Override
  public int horizon() {
    return horizon;
  }

  @Override
  public String[] stateNames() {
    return new String[] {"x"};
  }

  @Override
  public String[] actionNames() {
    return new String[] {"u"};
  }

  @Override
  public TaskEpisode newEpisode(long seed) {
    return new Episode(seed);
  }

  @Override
  public boolean hasSuccess() {
    return false;
  }

  @Override
  public String toString() {
    return "ScalarTrapTask(horizon=" + horizon + ", expertNoise=" + expertNoise + ")";
  }

  private final class Episode implements TaskEpisode {
    private final Random noise;
    private double x;
    private double stepNoise;
    private int steps;

    Episode(long seed) {
      Random init = new Random(seed);
      x = init.nextGaussian();
      noise = new Random(seed ^ 0x9E3779B97F4A7C15L);
      stepNoise = noise.nextGaussian();
    }

    @Override
    public double[] state() {
      return new double[] {x};
    }

    @Override
    public double[] expertAction() {
      return new double[] {clip(TrapQuantizer.expert(x) + expertNoise * stepNoise)};
    }

    @Override
    public StepResult step(double[] action) {
      if (done()) {
        throw new IllegalStateException("episode is done after " + steps + " steps; start a new one");
      }
      Actions.check(action, 1);
      double u = clip(action[0]);
      double reward = 1 - Math.abs(u - TrapQuantizer.expert(x));
      x = TrapQuantizer.step(x, u);
      steps++;
      stepNoise = noise.nextGaussian();
      boolean end = steps >= horizon;
      return new StepResult(reward, end, false, end ? "horizon" : "");
    }

    @Override
    public int steps() {
      return steps;
    }

    @Override
    public boolean done() {
      return steps >= horizon;
    }

    private double clip(double u) {
      return Math.max(-MAX_ACTION, Math.min(MAX_ACTION, u));
    }
  }
}
