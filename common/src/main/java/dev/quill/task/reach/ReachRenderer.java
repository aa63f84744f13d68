package dev.quill.task.reach;

import dev.quill.task.TaskEpisode;
import dev.quill.task.image.ImageShape;
import dev.quill.task.image.Raster;
import dev.quill.task.image.Renderer;

/**
 * Top-down image of a {@link ReachTask} episode, {@code size x size} pixels over the arm's workspace
 * {@code [-1, 1] x [-1, 1]} m (row 0 at {@code y = 1}, column 0 at {@code x = -1}), 4 channels: {@code arm}
 * (both links, Gaussian dots of {@value #ARM_SIGMA} pixels every centimetre), {@code object} and {@code goal}
 * (Gaussian blobs of {@value #BLOB_SIGMA} pixels at their positions), and {@code gripper} (a blob at the end
 * effector of amplitude 1 when closed, 0.5 when open). Blobs are evaluated at pixel centres, so sub-pixel
 * positions are visible in the intensities.
 */
public final class ReachRenderer implements Renderer {
  private static final long serialVersionUID = 1L;
  /** Standard deviation of the object, goal and gripper blobs (pixels). */
  public static final double BLOB_SIGMA = 1.0;
  /** Standard deviation of the arm's dots (pixels). */
  public static final double ARM_SIGMA = 0.5;
  private static final String[] CHANNELS = {"arm", "object", "goal", "gripper"};

  private final ImageShape shape;

  /** A renderer of {@code size x size} images, {@code size} at least 4. */
  public ReachRenderer(int size) {
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

  /** Draws from the episode's state vector (joint angles, end effector, object, goal, gripper closed). */
  @Override
  public Raster render(TaskEpisode episode) {
    if (!(episode instanceof ReachEpisode)) {
      throw new IllegalArgumentException("ReachRenderer draws reach episodes only, got " + episode.getClass().getName());
    }
    double[] s = episode.state();
    Raster raster = new Raster(shape);
    double q1 = Math.atan2(s[0], s[1]);
    double elbowX = ArmKinematics.L1 * Math.cos(q1);
    double elbowY = ArmKinematics.L1 * Math.sin(q1);
    link(raster, 0, 0, elbowX, elbowY);
    link(raster, elbowX, elbowY, s[4], s[5]);
    raster.blob(1, row(s[7]), col(s[6]), BLOB_SIGMA, 1.0);
    raster.blob(2, row(s[9]), col(s[8]), BLOB_SIGMA, 1.0);
    raster.blob(3, row(s[5]), col(s[4]), BLOB_SIGMA, s[16] > 0.5 ? 1.0 : 0.5);
    return raster;
  }

  private void link(Raster raster, double x0, double y0, double x1, double y1) {
    int dots = Math.max(1, (int) Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 0.01));
    for (int i = 0; i <= dots; i++) {
      double t = i / (double) dots;
      raster.blob(0, row(y0 + t * (y1 - y0)), col(x0 + t * (x1 - x0)), ARM_SIGMA, 0.5);
    }
  }

  private double row(double y) {
    return (1.0 - y) / 2.0 * shape.height();
  }

  private double col(double x) {
    return (x + 1.0) / 2.0 * shape.width();
  }
}
