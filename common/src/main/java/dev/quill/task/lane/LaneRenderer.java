package dev.quill.task.lane;

import dev.quill.task.TaskEpisode;
import dev.quill.task.image.ImageShape;
import dev.quill.task.image.Raster;
import dev.quill.task.image.Renderer;

/**
 * Top-down image of a {@link LaneTask} episode, {@code size x size} pixels, 3 channels: {@code obstacles} (the
 * obstacles' boxes), {@code ego} (the car's box) and {@code ahead} (the car's box where it will be in
 * {@value #AHEAD_TIME} s at its current speed and heading, which makes speed and heading visible). The view
 * moves with the car along the road and is fixed across it: rows span {@code x - 8} m (bottom row) to
 * {@code x + 56} m (top row, row 0), {@code 64 / size} m per row; columns span {@code y = +8} m (column 0,
 * the left road side) to {@code y = -8} m, {@code 16 / size} m per column. Boxes are drawn with area coverage
 * (a pixel holds the fraction of it a box covers), so sub-pixel motion changes the image continuously.
 */
public final class LaneRenderer implements Renderer {
  private static final long serialVersionUID = 1L;
  /** Metres behind the car that the image shows. */
  public static final double BEHIND = 8.0;
  /** Longitudinal extent of the image (m). */
  public static final double LENGTH = 64.0;
  /** Lateral extent of the image (m), centred on the road. */
  public static final double WIDTH = 16.0;
  /** Look-ahead time of the {@code ahead} channel (s). */
  public static final double AHEAD_TIME = 1.0;
  private static final String[] CHANNELS = {"obstacles", "ego", "ahead"};

  private final ImageShape shape;

  /** A renderer of {@code size x size} images, {@code size} at least 4. */
  public LaneRenderer(int size) {
    if (size < 4) {
      throw new IllegalArgumentException("image size must be at least 4, got " + size);
    }
    this.shape = new ImageShape(CHANNELS.length, size, size);
  }

  @Override
  public ImageShape shape() {
    return shape;
  }

  @Override
  public String[] channelNames() {
    return CHANNELS.clone();
  }

  @Override
  public Raster render(TaskEpisode episode) {
    if (!(episode instanceof LaneEpisode lane)) {
      throw new IllegalArgumentException("LaneRenderer draws lane episodes only, got " + episode.getClass().getName());
    }
    Raster raster = new Raster(shape);
    double[] pose = lane.pose();
    for (Obstacle o : lane.obstacles()) {
      box(raster, 0, pose[0], o.x(lane.steps()), LaneTask.laneCentre(o.lane()));
    }
    box(raster, 1, pose[0], pose[0], pose[1]);
    double reach = pose[3] * AHEAD_TIME;
    box(raster, 2, pose[0], pose[0] + reach * Math.cos(pose[2]), pose[1] + reach * Math.sin(pose[2]));
    return raster;
  }

  private void box(Raster raster, int channel, double egoX, double x, double y) {
    double rowsPerMetre = shape.height() / LENGTH;
    double colsPerMetre = shape.width() / WIDTH;
    double top = LENGTH - BEHIND - (x - egoX);
    double left = WIDTH / 2 - y;
    raster.fillRect(channel, (top - LaneTask.CAR_LENGTH / 2) * rowsPerMetre, (top + LaneTask.CAR_LENGTH / 2) * rowsPerMetre,
        (left - LaneTask.CAR_WIDTH / 2) * colsPerMetre, (left + LaneTask.CAR_WIDTH / 2) * colsPerMetre, 1.0);
  }
}
