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

  /**
   * Resolved-rate step: the joint motion that moves the end effector by {@code (dx, dy)} to first order,
   * by damped least squares {@code dq = J^T (J J^T + lambda^2 I)^-1 dx} (Wampler 1986; Nakamura and
   * Hanafusa 1986), which stays bounded near singular (stretched or folded) configurations.
   *
   * @param q1 angle of the first link
   * @param q2 angle of the second link relative to the first
   * @param dx desired end-effector displacement along x
   * @param dy desired end-effector displacement along y
   * @param lambda damping, {@code > 0}
   * @return a fresh array {@code {dq1, dq2}}
   */
  public static double[] resolvedRate(double q1, double q2, double dx, double dy, double lambda) {
    double s1 = Math.sin(q1);
    double c1 = Math.cos(q1);
    double s12 = Math.sin(q1 + q2);
    double c12 = Math.cos(q1 + q2);
    double j11 = -L1 * s1 - L2 * s12;
    double j12 = -L2 * s12;
    double j21 = L1 * c1 + L2 * c12;
    double j22 = L2 * c12;
    double a = j11 * j11 + j12 * j12 + lambda * lambda;
    double b = j11 * j21 + j12 * j22;
    double d = j21 * j21 + j22 * j22 + lambda * lambda;
    double det = a * d - b * b;
    double u = (d * dx - b * dy) / det;
    double v = (-b * dx + a * dy) / det;
    return new double[] {j11 * u + j21 * v, j12 * u + j22 * v};
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
