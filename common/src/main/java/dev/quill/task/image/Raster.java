package dev.quill.task.image;

/**
 * A mutable image being drawn, in pixel coordinates: pixel {@code (r, col)} covers
 * {@code [r, r + 1) x [col, col + 1)}, so its centre is {@code (r + 0.5, col + 0.5)}. Values accumulate and are
 * clipped to [0, 1] by {@link #pixels()}. Not thread-safe.
 */
public final class Raster {
  private final ImageShape shape;
  private final double[] data;

  /** A black image of the given shape. */
  public Raster(ImageShape shape) {
    this.shape = shape;
    this.data = new double[shape.size()];
  }

  /** The image's shape. */
  public ImageShape shape() {
    return shape;
  }

  /**
   * Adds {@code value} times the covered fraction of every pixel overlapped by the rectangle
   * {@code [r0, r1] x [c0, c1]} (pixel units, may extend beyond the image), so sub-pixel positions change
   * the edge pixels continuously.
   */
  public void fillRect(int channel, double r0, double r1, double c0, double c1, double value) {
    int rLo = Math.max(0, (int) Math.floor(r0));
    int rHi = Math.min(shape.height() - 1, (int) Math.ceil(r1) - 1);
    int cLo = Math.max(0, (int) Math.floor(c0));
    int cHi = Math.min(shape.width() - 1, (int) Math.ceil(c1) - 1);
    for (int r = rLo; r <= rHi; r++) {
      double fr = Math.min(r + 1, r1) - Math.max(r, r0);
      for (int c = cLo; c <= cHi; c++) {
        double fc = Math.min(c + 1, c1) - Math.max(c, c0);
        if (fr > 0 && fc > 0) {
          data[shape.index(channel, r, c)] += value * fr * fc;
        }
      }
    }
  }

  /**
   * Adds an isotropic Gaussian blob {@code amplitude * exp(-d^2 / (2 sigma^2))}, {@code d} the distance from
   * the pixel centre to {@code (row, col)} in pixels, to every pixel within {@code 3 sigma}.
   */
  public void blob(int channel, double row, double col, double sigma, double amplitude) {
    int rLo = Math.max(0, (int) Math.floor(row - 3 * sigma));
    int rHi = Math.min(shape.height() - 1, (int) Math.ceil(row + 3 * sigma));
    int cLo = Math.max(0, (int) Math.floor(col - 3 * sigma));
    int cHi = Math.min(shape.width() - 1, (int) Math.ceil(col + 3 * sigma));
    for (int r = rLo; r <= rHi; r++) {
      for (int c = cLo; c <= cHi; c++) {
        double dr = r + 0.5 - row;
        double dc = c + 0.5 - col;
        data[shape.index(channel, r, c)] += amplitude * Math.exp(-(dr * dr + dc * dc) / (2 * sigma * sigma));
      }
    }
  }

  /** The pixels, flattened channel-major, each clipped to [0, 1]; a fresh array. */
  public double[] pixels() {
    double[] out = new double[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = Math.max(0.0, Math.min(1.0, data[i]));
    }
    return out;
  }
}
