package dev.quill.task.lane;

import static dev.quill.task.lane.LaneTask.CAR_LENGTH;
import static dev.quill.task.lane.LaneTask.CAR_WIDTH;
import static dev.quill.task.lane.LaneTask.LANES;
import static dev.quill.task.lane.LaneTask.MAX_GAP;

import dev.quill.task.Actions;
import dev.quill.task.StepResult;
import dev.quill.task.TaskEpisode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * One episode of {@link LaneTask}. The reset draws come from {@code new SplittableRandom(seed)} in the order
 * of the class documentation of {@link LaneTask}; the expert noise of step {@code t} is drawn from
 * {@code new Random(seed ^ NOISE_SALT)} when the episode reaches step {@code t}, so it depends only on the
 * seed and the step.
 */
final class LaneEpisode implements TaskEpisode {
  static final long NOISE_SALT = 0x9E3779B97F4A7C15L;

  private final int horizon;
  private final double expertNoise;
  private final Random noise;
  private final List<Obstacle> obstacles;
  private double[] pose;
  private double stepNoise;
  private int steps;
  private boolean done;

  LaneEpisode(int horizon, double expertNoise, long seed) {
    this.horizon = horizon;
    this.expertNoise = expertNoise;
    SplittableRandom rng = new SplittableRandom(seed);
    int lane = rng.nextInt(LANES);
    pose = new double[] {0.0, LaneTask.laneCentre(lane) + rng.nextDouble(-0.5, 0.5),
        rng.nextDouble(-0.05, 0.05), rng.nextDouble(9.0, 13.0)};
    double speed = rng.nextDouble() < 0.5 ? 0.0 : rng.nextDouble(1.0, 3.0);
    List<Obstacle> list = new ArrayList<>();
    double xa = rng.nextDouble(30.0, 45.0);
    list.add(new Obstacle(lane, xa, speed));
    if (rng.nextDouble() < 0.5) {
      double x = xa + rng.nextDouble(-4.0, 8.0);
      int other = lane == 1 ? (rng.nextBoolean() ? 0 : 2) : 2 - lane;
      list.add(new Obstacle(other, x, speed));
    }
    list.add(new Obstacle(rng.nextInt(LANES), xa + rng.nextDouble(45.0, 55.0), speed));
    obstacles = List.copyOf(list);
    noise = new Random(seed ^ NOISE_SALT);
    stepNoise = noise.nextGaussian();
  }

  /** Test and rendering access: an episode at a given pose among given obstacles. */
  LaneEpisode(int horizon, double[] pose, List<Obstacle> obstacles) {
    this.horizon = horizon;
    this.expertNoise = 0.0;
    this.noise = new Random(0);
    this.pose = pose.clone();
    this.obstacles = List.copyOf(obstacles);
  }

  /** The ego's {@code x, y, heading, speed} (a copy). */
  public double[] pose() {
    return pose.clone();
  }

  /** The obstacles (positions at step 0; see {@link Obstacle#x(int)}). */
  public List<Obstacle> obstacles() {
    return obstacles;
  }

  @Override
  public double[] state() {
    double y = pose[1];
    double[] s = new double[4 + LANES];
    s[0] = y;
    s[1] = y - LaneTask.laneCentre(LaneTask.nearestLane(y));
    s[2] = pose[2];
    s[3] = pose[3];
    for (int lane = 0; lane < LANES; lane++) {
      s[4 + lane] = MAX_GAP;
    }
    for (Obstacle o : obstacles) {
      double gap = o.x(steps) - pose[0] - CAR_LENGTH;
      if (gap > -CAR_LENGTH) {
        s[4 + o.lane()] = Math.min(s[4 + o.lane()], Math.min(MAX_GAP, gap));
      }
    }
    return s;
  }

  @Override
  public double[] expertAction() {
    double[] a = LaneExpert.action(state());
    a[0] = LaneExpert.clip(a[0] + expertNoise * stepNoise, -LaneTask.MAX_STEER, LaneTask.MAX_STEER);
    return a;
  }

  @Override
  public StepResult step(double[] action) {
    if (done) {
      throw new IllegalStateException("episode is done after " + steps + " steps; start a new one");
    }
    Actions.check(action, 2);
    double steer = LaneExpert.clip(action[0], -LaneTask.MAX_STEER, LaneTask.MAX_STEER);
    double accel = LaneExpert.clip(action[1], LaneTask.MIN_ACCEL, LaneTask.MAX_ACCEL);
    double xBefore = pose[0];
    pose = Bicycle.step(pose, steer, accel, LaneTask.HALF_WHEELBASE, LaneTask.HALF_WHEELBASE, LaneTask.DT,
        LaneTask.MAX_SPEED);
    steps++;
    stepNoise = noise.nextGaussian();
    double offset = pose[1] - LaneTask.laneCentre(LaneTask.nearestLane(pose[1]));
    double reward = (pose[0] - xBefore) / LaneTask.GOAL_X - 0.01 * Math.abs(offset);
    String event = "";
    if (collides()) {
      event = "collision";
    } else if (Math.abs(pose[1]) > LaneTask.ROAD_HALF_WIDTH - CAR_WIDTH / 2) {
      event = "off_road";
    } else if (pose[0] >= LaneTask.GOAL_X) {
      event = "success";
    } else if (steps >= horizon) {
      event = "horizon";
    }
    boolean success = event.equals("success");
    if (success) {
      reward += LaneTask.SUCCESS_BONUS;
    } else if (event.equals("collision") || event.equals("off_road")) {
      reward -= LaneTask.FAILURE_PENALTY;
    }
    done = !event.isEmpty();
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

  private boolean collides() {
    for (Obstacle o : obstacles) {
      if (Math.abs(o.x(steps) - pose[0]) < CAR_LENGTH
          && Math.abs(LaneTask.laneCentre(o.lane()) - pose[1]) < CAR_WIDTH) {
        return true;
      }
    }
    return false;
  }
}
