package dev.quill.task.reach;

/**
 * Kinematics of the planar two-link arm of {@link ReachTask}: base at the origin, link lengths
 * {@value #L1} and {@value #L2}, joint angles in radians ({@code q1} absolute, {@code q2} relative to the
 * first link). Stateless and thread-safe.
 */
public final class ArmKinematics {
  /** Length of the first link. */
  public static final double L1 = 0.5;

  /** Length of the second link. */
  public static final double L2 = 0.5;

  private static final double TWO_PI = 2.0 * Math.PI;

  private ArmKinematics() {}

  /**
   * Forward kinematics: the end-effector position
   * {@code (L1 cos q1 + L2 cos(q1 + q2), L1 sin q1 + L2 sin(q1 + q2))}.
   *
   * @param q1 angle of the first link from the x axis
   * @param q2 angle of the second link relative to the first
   * @return a fresh array {@code {x, y}}
   */
  public static double[] forward(double q1, double q2) {
    return new double[] {
      L1 * Math.cos(q1) + L2 * Math.cos(q1 + q2), L1 * Math.sin(q1) + L2 * Math.sin(q1 + q2)
    };
  }

  /**
   * Inverse kinematics, elbow-down branch: {@code q2 = acos(clamp(c2, -1, 1))} in {@code [0, pi]} with
   * {@code c2 = (x^2 + y^2 - L1^2 - L2^2) / (2 L1 L2)}, and
   * {@code q1 = atan2(y, x) - atan2(L2 sin q2, L1 + L2 cos q2)}, wrapped to {@code (-pi, pi]}. For a point
   * out of reach (or at the base) the clamp yields the nearest fully stretched (or folded) configuration
   * in the point's direction.
   *
   * @param x target x coordinate
   * @param y target y coordinate
   * @return a fresh array {@code {q1, q2}}
   */
  public static double[] inverse(double x, double y) {
    double c2 = (x * x + y * y - L1 * L1 - L2 * L2) / (2.0 * L1 * L2);
    double q2 = Math.acos(Math.max(-1.0, Math.min(1.0, c2)));
    double q1 = Math.atan2(y, x) - Math.atan2(L2 * Math.sin(q2), L1 + L2 * Math.cos(q2));
    return new double[] {wrap(q1), q2};
  }

  /** Wraps an angle to {@code (-pi, pi]}; a non-finite angle yields {@code NaN}. */
  public static double wrap(double angle) {
    double r = angle % TWO_PI;
    if (r <= -Math.PI) {
      r += TWO_PI;
    } else if (r > Math.PI) {
      r -= TWO_PI;
    }
    return r;
  }
}
