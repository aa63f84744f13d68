package dev.quill.task.lane;

import static dev.quill.task.lane.LaneTask.CRUISE_SPEED;
import static dev.quill.task.lane.LaneTask.FREE_GAP;
import static dev.quill.task.lane.LaneTask.HALF_WHEELBASE;
import static dev.quill.task.lane.LaneTask.LANES;
import static dev.quill.task.lane.LaneTask.LOOKAHEAD_MIN;
import static dev.quill.task.lane.LaneTask.LOOKAHEAD_TIME;
import static dev.quill.task.lane.LaneTask.MAX_ACCEL;
import static dev.quill.task.lane.LaneTask.MAX_STEER;
import static dev.quill.task.lane.LaneTask.MIN_ACCEL;
import static dev.quill.task.lane.LaneTask.TRIGGER_GAP;

/**
 * The noise-free scripted expert of {@link LaneTask}: lane choice from the gaps, pure-pursuit steering (Coulter,
 * "Implementation of the Pure Pursuit Path Tracking Algorithm", CMU-RI-TR-92-01, 1992) and proportional speed
 * control. A pure function of the 7-dimensional state; stateless and thread-safe.
 */
public final class LaneExpert {
  private LaneExpert() {}

  /**
   * The lane the expert drives toward in {@code state}: the nearest lane, or, when its gap is below
   * {@link LaneTask#TRIGGER_GAP}, the neighbour with the largest gap, gaps above {@link LaneTask#FREE_GAP} counting
   * as equal (ties: lower index), if that gap is larger.
   */
  public static int targetLane(double[] state) {
    int current = LaneTask.nearestLane(state[0]);
    double gap = state[4 + current];
    if (gap >= TRIGGER_GAP) {
      return current;
    }
    int best = current;
    double bestGap = gap;
    for (int lane = current - 1; lane <= current + 1; lane += 2) {
      if (lane >= 0 && lane < LANES && Math.min(FREE_GAP, state[4 + lane]) > bestGap) {
        best = lane;
        bestGap = Math.min(FREE_GAP, state[4 + lane]);
      }
    }
    return best;
  }

  /** The expert's {@code steer, accel} in {@code state}, both within the task's limits. */
  public static double[] action(double[] state) {
    double y = state[0];
    double heading = state[2];
    double v = state[3];
    double lookahead = Math.max(LOOKAHEAD_MIN, LOOKAHEAD_TIME * v);
    double alpha = Math.atan2(LaneTask.laneCentre(targetLane(state)) - y, lookahead) - heading;
    double steer = Math.atan(2 * (2 * HALF_WHEELBASE) * Math.sin(alpha) / lookahead);
    double accel = CRUISE_SPEED - v;
    return new double[] {clip(steer, -MAX_STEER, MAX_STEER), clip(accel, MIN_ACCEL, MAX_ACCEL)};
  }

  static double clip(double value, double lo, double hi) {
    return Math.max(lo, Math.min(hi, value));
  }
}
