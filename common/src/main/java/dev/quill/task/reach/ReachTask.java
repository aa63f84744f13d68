package dev.quill.task.reach;

import dev.quill.task.Task;
import dev.quill.task.TaskEpisode;

/**
 * The {@code reach} task: a planar two-link arm ({@link ArmKinematics}) with a gripper must reach an
 * object, grasp it, and carry it to a goal.
 *
 * <p><b>Reset</b> (all from the seed): {@code q1 ~ U[-pi, pi)}, {@code q2 ~ U[0.3, 2.5)}; the object at
 * polar radius {@code U[0.35, 0.85)} and angle {@code U[0, pi)}; the goal likewise, resampled until it is
 * at least {@value #MIN_GOAL_DISTANCE} from the object. The gripper starts open and empty.
 *
 * <p><b>State</b> (18): {@code sin_q1, cos_q1, sin_q2, cos_q2, ee_x, ee_y, obj_x, obj_y, goal_x, goal_y,
 * obj_dx, obj_dy, goal_dx, goal_dy, obj_dist, goal_dist, gripper_closed, holding}, where
 * {@code obj_d* = obj - ee}, {@code goal_d* = goal - ee}, the distances are their norms, and the last two
 * are 0 or 1. <b>Action</b> (3): an end-effector displacement {@code dx, dy}, each clipped to
 * {@code ±}{@value #MAX_EE_STEP}, and {@code grip} clipped to [-1, 1], where {@code grip >= 0} means closed
 * (delta end-effector actions, as in robomimic's OSC controller and LeRobot's end-effector datasets).
 *
 * <p><b>Step</b>: the arm's resolved-rate controller turns the displacement into joint motion
 * ({@link ArmKinematics#resolvedRate}, damping {@value #DAMPING}), {@code q += dq}, both angles wrapped to
 * {@code (-pi, pi]}; if holding, the object is
 * translated by the end effector's displacement. Then the gripper: closing (open before, closed now)
 * grasps when {@code ||ee - obj|| <=} {@value #GRASP_TOLERANCE}, otherwise the episode fails with event
 * {@code "missed_grasp"}; opening while holding fails with event {@code "dropped"}. Holding with
 * {@code ||obj - goal|| <=} {@value #GOAL_TOLERANCE} ends the episode with success, event
 * {@code "success"}; otherwise it ends after {@link #horizon()} steps with event {@code "horizon"}.
 *
 * <p><b>Reward</b>: {@code -0.01 ||ee - subgoal||} after the step, with the subgoal the object while not
 * holding and the goal while holding, plus {@value #SUCCESS_BONUS} on the success step.
 *
 * <p><b>Expert</b>: a proportional controller toward the subgoal, {@code (dx, dy) = clip(subgoal - ee)} (dead-beat: the last step lands on the subgoal up to the
 * controller's linearization error);
 * {@code grip = +1} while holding or when {@code ||ee - obj|| <} {@value #CLOSE_RADIUS}, else {@code -1}.
 * Gaussian noise of standard deviation {@code expertNoise} (metres) is added to {@code dx, dy} only (then
 * clipped).
 */
public final class ReachTask implements Task {
  /** Episode length used when a config leaves the horizon at its default. */
  public static final int DEFAULT_HORIZON = 100;

  /** Closing the gripper grasps the object only within this distance of the end effector. */
  public static final double GRASP_TOLERANCE = 0.05;

  /** A held object within this distance of the goal is a success. */
  public static final double GOAL_TOLERANCE = 0.05;

  /** The expert closes the gripper once the end effector is closer than this to the object. */
  public static final double CLOSE_RADIUS = 0.02;

  /** Largest end-effector displacement per step and axis, in metres. */
  public static final double MAX_EE_STEP = 0.05;

  /** Damping of the resolved-rate controller. */
  public static final double DAMPING = 0.05;

  /** Smallest distance between object and goal at reset. */
  public static final double MIN_GOAL_DISTANCE = 0.25;

  /** Reward added on the success step. */
  public static final double SUCCESS_BONUS = 1.0;

  private static final String[] STATE_NAMES = {
    "sin_q1", "cos_q1", "sin_q2", "cos_q2", "ee_x", "ee_y", "obj_x", "obj_y", "goal_x", "goal_y",
    "obj_dx", "obj_dy", "goal_dx", "goal_dy", "obj_dist", "goal_dist", "gripper_closed", "holding",
  };
  private static final String[] ACTION_NAMES = {"dx", "dy", "grip"};

  private final int horizon;
  private final double expertNoise;

  /**
   * Creates the task.
   *
   * @param horizon maximum number of steps of an episode, at least 1
   * @param expertNoise standard deviation of the Gaussian noise on the expert's end-effector motions, finite
   *     and non-negative
   * @throws IllegalArgumentException if an argument is out of range
   */
  public ReachTask(int horizon, double expertNoise) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
    }
    if (!(expertNoise >= 0.0 && Double.isFinite(expertNoise))) {
      throw new IllegalArgumentException("expertNoise must be finite and >= 0, got " + expertNoise);
    }
    this.horizon = horizon;
    this.expertNoise = expertNoise;
  }

  /** Returns {@code "reach"}. */
  @Override
  public String name() {
    return "reach";
  }

  /** Returns 16. */
  @Override
  public int stateDim() {
    return STATE_NAMES.length;
  }

  /** Returns 3. */
  @Override
  public int actionDim() {
    return ACTION_NAMES.length;
  }

  /** The maximum number of steps of an episode. */
  @Override
  public int horizon() {
    return horizon;
  }

  /** Standard deviation of the Gaussian noise added to the expert's {@code dq1, dq2}. */
  public double expertNoise() {
    return expertNoise;
  }

  /** The 16 state names listed in the class documentation. */
  @Override
  public String[] stateNames() {
    return STATE_NAMES.clone();
  }

  /** Returns {@code dq1, dq2, grip}. */
  @Override
  public String[] actionNames() {
    return ACTION_NAMES.clone();
  }

  /** Starts an episode whose arm, object, goal and expert noise are determined by {@code seed}. */
  @Override
  public TaskEpisode newEpisode(long seed) {
    return new ReachEpisode(horizon, expertNoise, seed);
  }

  /** Returns {@code true}: success is delivering the held object to the goal. */
  @Override
  public boolean hasSuccess() {
    return true;
  }

  /** Name, horizon and expert noise. */
  @Override
  public String toString() {
    return "ReachTask[horizon=" + horizon + ", expertNoise=" + expertNoise + "]";
  }
}
