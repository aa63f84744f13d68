package dev.quill.task.lane;

/**
 * The kinematic bicycle model referenced at the centre of gravity (Kong, Pfeiffer, Schildbach &amp; Borrelli,
 * "Kinematic and Dynamic Vehicle Models for Autonomous Driving Control Design", IV 2015, Eq. 1), integrated
 * with one explicit Euler step:
 *
 * <pre>
 * beta  = atan(lr / (lf + lr) * tan(delta))
 * x'    = x + v cos(psi + beta) dt
 * y'    = y + v sin(psi + beta) dt
 * psi'  = psi + v / lr * sin(beta) dt
 * v'    = clip(v + a dt, 0, maxSpeed)
 * </pre>
 *
 * Stateless; thread-safe.
 */
public final class Bicycle {
  private Bicycle() {}

  /**
   * One Euler step.
   *
   * @param pose {@code x, y, psi, v} (metres, radians, m/s); not modified
   * @param delta front steering angle (radians), already clipped by the caller
   * @param accel longitudinal acceleration (m/s^2), already clipped by the caller
   * @param lf distance from the centre of gravity to the front axle (m), positive
   * @param lr distance from the centre of gravity to the rear axle (m), positive
   * @param dt time step (s), positive
   * @param maxSpeed the speed is clipped to {@code [0, maxSpeed]}
   * @return the next {@code x, y, psi, v}
   */
  public static double[] step(double[] pose, double delta, double accel, double lf, double lr, double dt,
      double maxSpeed) {
    double beta = Math.atan(lr / (lf + lr) * Math.tan(delta));
    double v = pose[3];
    return new double[] {
      pose[0] + v * Math.cos(pose[2] + beta) * dt,
      pose[1] + v * Math.sin(pose[2] + beta) * dt,
      pose[2] + v / lr * Math.sin(beta) * dt,
      Math.max(0.0, Math.min(maxSpeed, v + accel * dt)),
    };
  }
}
