package dev.quill.task.lane;

/**
 * A car-sized obstacle driving straight along the centre of its lane at constant speed (0 = parked).
 *
 * @param lane lane index, 0 (right-most, {@code y = -4}) to {@code LANES - 1}
 * @param x0 longitudinal position of its centre at step 0 (m)
 * @param speed constant speed (m/s), non-negative and below the ego's cruise speed
 */
public record Obstacle(int lane, double x0, double speed) implements java.io.Serializable {
  /** Longitudinal position of its centre after {@code steps} steps. */
  public double x(int steps) {
    return x0 + speed * steps * LaneTask.DT;
  }
}
