package dev.quill.task.lane;

import dev.quill.task.Task;
import dev.quill.task.TaskEpisode;

/**
 * The {@code lane} task: a car (kinematic bicycle, {@link Bicycle}) on a straight road of {@value #LANES}
 * lanes {@value #LANE_WIDTH} m wide (centres {@code y = -4, 0, 4}, road edges at {@code y = ±6}) must reach
 * {@code x =} {@value #GOAL_X} m. Obstacles (parked or slower cars, {@link Obstacle}) block lanes, so the car
 * keeps its lane most of the time and must start a lane change early enough to pass: the few steps around
 * the lane-change decision are the critical moments.
 *
 * <p><b>Reset</b> (from {@code new SplittableRandom(seed)}, in this order): the ego lane {@code U{0,1,2}},
 * {@code y = centre + U[-0.5, 0.5)}, heading {@code U[-0.05, 0.05)}, speed {@code U[9, 13)}, {@code x = 0};
 * the obstacles' common speed (0 with probability 1/2, else {@code U[1, 3)}); obstacle A in the ego lane at
 * {@code x = U[30, 45)}; with probability 1/2 a second obstacle beside A ({@code x_A + U[-4, 8)}) in one
 * other lane, chosen uniformly among the ego lane's neighbours when it has two (one neighbour always stays
 * free) and in the far lane otherwise; obstacle B in a uniform lane at {@code x_A + U[45, 55)}.
 *
 * <p><b>State</b> (7): {@code y} (m), {@code lane_offset} ({@code y} minus the nearest lane centre),
 * {@code heading} (rad), {@code speed} (m/s), and {@code gap_0, gap_1, gap_2}: per lane, the bumper-to-bumper
 * distance {@code x_obs - x - CAR_LENGTH} to the nearest obstacle not yet passed (centre ahead of
 * {@code x - CAR_LENGTH}), clipped to {@code [-CAR_LENGTH,} {@value #MAX_GAP}{@code ]}; {@value #MAX_GAP} when
 * the lane is free. <b>Action</b> (2): {@code steer} (front wheel angle, rad, clipped to
 * {@code ±}{@value #MAX_STEER}) and {@code accel} (m/s², clipped to [{@value #MIN_ACCEL}, {@value #MAX_ACCEL}]).
 *
 * <p><b>Step</b>: one {@link Bicycle} step of {@value #DT} s ({@code lf = lr =} {@value #HALF_WHEELBASE} m, speed
 * clipped to [0, {@value #MAX_SPEED}]), then the events in this order: {@code "collision"} (failure) when the
 * ego's {@value #CAR_LENGTH} × {@value #CAR_WIDTH} m box (axis-aligned at its centre) overlaps an obstacle's
 * box; {@code "off_road"} (failure) when {@code |y| > ROAD_HALF_WIDTH - CAR_WIDTH / 2}; {@code "success"} when
 * {@code x >= GOAL_X}; {@code "horizon"} (failure) after {@link #horizon()} steps.
 *
 * <p><b>Reward</b> per step: {@code Δx / GOAL_X - 0.01 |lane_offset|} (progress, so a full drive earns about 1,
 * minus a lane-keeping penalty), plus {@value #SUCCESS_BONUS} on success, minus {@value #FAILURE_PENALTY} on a
 * collision or leaving the road.
 *
 * <p><b>Expert</b>: a pure function of the state. The current lane is the one nearest to {@code y}; the target
 * lane is the current lane unless its gap is below {@value #TRIGGER_GAP} m, in which case it is the neighbour
 * with the largest gap, gaps above {@value #FREE_GAP} m comparing equal (ties: the lower index), provided that gap
 * is larger. Steering is pure pursuit (Coulter
 * 1992) toward the target lane's centre line at a look-ahead of {@code max(LOOKAHEAD_MIN, LOOKAHEAD_TIME · v)}:
 * {@code steer = atan(2 L sin(alpha) / ld)}, {@code alpha = atan2(y_target - y, ld) - heading}; speed is a
 * proportional controller {@code accel = v_cruise - v} toward {@value #CRUISE_SPEED} m/s. Gaussian noise of
 * standard deviation {@code expertNoise} (rad) is added to {@code steer} only (DART-style recoveries).
 */
public final class LaneTask implements Task {
  /** Episode length used when a config leaves the horizon at its default. */
  public static final int DEFAULT_HORIZON = 130;
  /** Number of lanes. */
  public static final int LANES = 3;
  /** Lane width (m). */
  public static final double LANE_WIDTH = 4.0;
  /** Half the road's width (m). */
  public static final double ROAD_HALF_WIDTH = LANES * LANE_WIDTH / 2;
  /** Length of every car (m). */
  public static final double CAR_LENGTH = 4.5;
  /** Width of every car (m). */
  public static final double CAR_WIDTH = 2.0;
  /** Distance from the centre of gravity to either axle (m); the wheelbase is twice this. */
  public static final double HALF_WHEELBASE = 1.35;
  /** Time step (s). */
  public static final double DT = 0.1;
  /** Largest steering angle (rad). */
  public static final double MAX_STEER = 0.5;
  /** Smallest (braking) acceleration (m/s²). */
  public static final double MIN_ACCEL = -4.0;
  /** Largest acceleration (m/s²). */
  public static final double MAX_ACCEL = 2.0;
  /** Largest speed (m/s). */
  public static final double MAX_SPEED = 20.0;
  /** The drive ends with success at this {@code x} (m). */
  public static final double GOAL_X = 110.0;
  /** Gaps are clipped to this (m); a free lane reads this. */
  public static final double MAX_GAP = 60.0;
  /** The expert leaves its lane when the gap ahead is below this (m). */
  public static final double TRIGGER_GAP = 18.0;
  /** The expert treats a neighbour lane whose gap exceeds this (m) as free: such gaps compare equal. */
  public static final double FREE_GAP = 35.0;
  /** The expert's cruise speed (m/s). */
  public static final double CRUISE_SPEED = 12.0;
  /** Smallest pure-pursuit look-ahead (m). */
  public static final double LOOKAHEAD_MIN = 6.0;
  /** Pure-pursuit look-ahead per unit speed (s). */
  public static final double LOOKAHEAD_TIME = 0.9;
  /** Reward added on the success step. */
  public static final double SUCCESS_BONUS = 1.0;
  /** Reward subtracted on a collision or when leaving the road. */
  public static final double FAILURE_PENALTY = 1.0;

  private static final String[] STATE_NAMES = {"y", "lane_offset", "heading", "speed", "gap_0", "gap_1", "gap_2"};
  private static final String[] ACTION_NAMES = {"steer", "accel"};

  private final int horizon;
  private final double expertNoise;

  /**
   * Creates the task.
   *
   * @param horizon maximum number of steps of an episode, at least 1
   * @param expertNoise standard deviation of the Gaussian noise on the expert's steering (rad), finite, &gt;= 0
   * @throws IllegalArgumentException if an argument is out of range
   */
  public LaneTask(int horizon, double expertNoise) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
    }
    if (!(expertNoise >= 0.0 && Double.isFinite(expertNoise))) {
      throw new IllegalArgumentException("expertNoise must be finite and >= 0, got " + expertNoise);
    }
    this.horizon = horizon;
    this.expertNoise = expertNoise;
  }

  /** Returns {@code "lane"}. */
  @Override
  public String name() {
    return "lane";
  }

  /** Returns 7. */
  @Override
  public int stateDim() {
    return STATE_NAMES.length;
  }

  /** Returns 2. */
  @Override
  public int actionDim() {
    return ACTION_NAMES.length;
  }

  /** The maximum number of steps of an episode. */
  @Override
  public int horizon() {
    return horizon;
  }

  /** The state names listed in the class documentation. */
  @Override
  public String[] stateNames() {
    return STATE_NAMES.clone();
  }

  /** Returns {@code steer, accel}. */
  @Override
  public String[] actionNames() {
    return ACTION_NAMES.clone();
  }

  /** Starts an episode whose car, obstacles and expert noise are determined by {@code seed}. */
  @Override
  public TaskEpisode newEpisode(long seed) {
    return new LaneEpisode(horizon, expertNoise, seed);
  }

  /** Returns {@code true}: success is reaching the goal without collision and on the road. */
  @Override
  public boolean hasSuccess() {
    return true;
  }

  /** The centre line of lane {@code lane} ({@code y}, m). */
  public static double laneCentre(int lane) {
    return (lane - (LANES - 1) / 2.0) * LANE_WIDTH;
  }

  /** The lane whose centre is nearest to {@code y} (clamped to the road's lanes). */
  public static int nearestLane(double y) {
    int lane = (int) Math.round(y / LANE_WIDTH + (LANES - 1) / 2.0);
    return Math.max(0, Math.min(LANES - 1, lane));
  }

  /** Name, horizon and expert noise. */
  @Override
  public String toString() {
    return "LaneTask[horizon=" + horizon + ", expertNoise=" + expertNoise + "]";
  }
}
