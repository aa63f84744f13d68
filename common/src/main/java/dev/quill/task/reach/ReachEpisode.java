package dev.quill.task.reach;

import static dev.quill.task.reach.ReachTask.CLOSE_RADIUS;
import static dev.quill.task.reach.ReachTask.GOAL_TOLERANCE;
import static dev.quill.task.reach.ReachTask.GRASP_TOLERANCE;
import static dev.quill.task.reach.ReachTask.DAMPING;
import static dev.quill.task.reach.ReachTask.MAX_EE_STEP;

import dev.quill.task.Actions;
import dev.quill.task.StepResult;
import dev.quill.task.TaskEpisode;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * One episode of {@link ReachTask}. The reset draws come from {@code new SplittableRandom(seed)} in the
 * order q1, q2, object (radius, angle), goal (radius, angle; repeated until far enough). The expert noise
 * for step {@code t} is drawn from {@code new Random(seed ^ NOISE_SALT)} when the episode reaches step
 * {@code t}, so it depends only on the seed and the step, not on how often {@link #expertAction()} is
 * called.
 */
final class ReachEpisode implements TaskEpisode {
  static final long NOISE_SALT = 0x9E3779B97F4A7C15L;
  private static final int ACTION_DIM = 3;
  private static final double EXPERT_GAIN = 1.0;
  private static final double DISTANCE_REWARD = 0.01;

  private final int horizon;
  private final double expertNoise;
  private final Random noise;
  private final double[] stepNoise = new double[2];
  private double q1;
  private double q2;
  private double[] ee;
  private final double[] obj;
  private final double[] goal;
  private boolean closed;
  private boolean holding;
  private int steps;
  private boolean done;

  ReachEpisode(int horizon, double expertNoise, long seed) {
    this.horizon = horizon;
    this.expertNoise = expertNoise;
    SplittableRandom rng = new SplittableRandom(seed);
    q1 = rng.nextDouble(-Math.PI, Math.PI);
    q2 = rng.nextDouble(0.3, 2.5);
    ee = ArmKinematics.forward(q1, q2);
    obj = samplePoint(rng);
    double[] g = samplePoint(rng);
    while (distance(g, obj) < ReachTask.MIN_GOAL_DISTANCE) {
      g = samplePoint(rng);
    }
    goal = g;
    noise = new Random(seed ^ NOISE_SALT);
    drawNoise();
  }

  @Override
  public double[] state() {
    return new double[] {
      Math.sin(q1), Math.cos(q1), Math.sin(q2), Math.cos(q2),
      ee[0], ee[1], obj[0], obj[1], goal[0], goal[1],
      obj[0] - ee[0], obj[1] - ee[1], goal[0] - ee[0], goal[1] - ee[1],
      distance(obj, ee), distance(goal, ee), closed ? 1.0 : 0.0, holding ? 1.0 : 0.0,
    };
  }

  @Override
  public double[] expertAction() {
    double[] target = holding ? goal : obj;
    double dx = EXPERT_GAIN * (target[0] - ee[0]);
    double dy = EXPERT_GAIN * (target[1] - ee[1]);
    boolean grip = holding || distance(ee, obj) < CLOSE_RADIUS;
    return new double[] {
      clipStep(clipStep(dx) + expertNoise * stepNoise[0]),
      clipStep(clipStep(dy) + expertNoise * stepNoise[1]),
      grip ? 1.0 : -1.0,
    };
  }

  @Override
  public StepResult step(double[] action) {
    if (done) {
      throw new IllegalStateException("episode is done after " + steps + " steps; start a new one");
    }
    Actions.check(action, ACTION_DIM);
    double[] before = ee;
    double[] dq = ArmKinematics.resolvedRate(q1, q2, clipStep(action[0]), clipStep(action[1]), DAMPING);
    q1 = ArmKinematics.wrap(q1 + dq[0]);
    q2 = ArmKinematics.wrap(q2 + dq[1]);
    ee = ArmKinematics.forward(q1, q2);
    if (holding) {
      obj[0] += ee[0] - before[0];
      obj[1] += ee[1] - before[1];
    }
    steps++;
    drawNoise();
    String event = gripperEvent(Math.max(-1.0, Math.min(1.0, action[2])) >= 0.0);
    boolean success = event.isEmpty() && holding && distance(obj, goal) <= GOAL_TOLERANCE;
    if (success) {
      event = "success";
    } else if (event.isEmpty() && steps >= horizon) {
      event = "horizon";
    }
    done = !event.isEmpty();
    double reward = -DISTANCE_REWARD * distance(ee, holding ? goal : obj)
        + (success ? ReachTask.SUCCESS_BONUS : 0.0);
    return new StepResult(reward, done, success, event);
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public boolean done() {
    return done;
  }

  private String gripperEvent(boolean closeNow) {
    boolean wasClosed = closed;
    closed = closeNow;
    if (!wasClosed && closeNow) {
      if (distance(ee, obj) <= GRASP_TOLERANCE) {
        holding = true;
        return "";
      }
      return "missed_grasp";
    }
    if (wasClosed && !closeNow && holding) {
      holding = false;
      return "dropped";
    }
    return "";
  }

  private void drawNoise() {
    stepNoise[0] = noise.nextGaussian();
    stepNoise[1] = noise.nextGaussian();
  }

  private static double[] samplePoint(SplittableRandom rng) {
    double radius = rng.nextDouble(0.35, 0.85);
    double angle = rng.nextDouble(0.0, Math.PI);
    return new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
  }

  private static double clipStep(double d) {
    return Math.max(-MAX_EE_STEP, Math.min(MAX_EE_STEP, d));
  }

  private static double distance(double[] p, double[] r) {
    return Math.hypot(p[0] - r[0], p[1] - r[1]);
  }
}
