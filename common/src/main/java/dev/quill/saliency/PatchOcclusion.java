package dev.quill.saliency;

import dev.quill.task.image.ImageShape;

/**
 * Patch perturbation of image observations (Park et al., ICCV 2025, Eq. 4): the image is cut into a
 * {@code grid x grid} grid of cells (cell {@code (i, j)} covers rows {@code [i H / grid, (i + 1) H / grid)} and
 * columns {@code [j W / grid, (j + 1) W / grid)}, integer division), location {@code k = i * grid + j}, and every
 * channel's pixels in that cell are replaced by
 *
 * <ul>
 *   <li>{@link Mode#MEAN}: the image's per-channel mean colour (the official code's
 *       {@code pv = mean * mask + rgb * (1 - mask)}), or
 *   <li>{@link Mode#BLUR}: a Gaussian blur of the image of standard deviation {@code sigma} pixels (the paper's
 *       text, after Greydanus et al., "Visualizing and Understanding Atari Agents", ICML 2018), computed at the
 *       cell's pixels with a kernel truncated at {@code ceil(3 sigma)} and renormalized over the pixels inside
 *       the image.
 * </ul>
 *
 * States are flattened channel-major ({@link ImageShape}). Immutable and thread-safe.
 */
public final class PatchOcclusion implements StatePerturbation {
  private static final long serialVersionUID = 1L;

  /** What replaces an occluded cell. */
  public enum Mode {
    /** The image's per-channel mean. */
    MEAN,
    /** A Gaussian blur of the image. */
    BLUR
  }

  private final ImageShape shape;
  private final int grid;
  private final Mode mode;
  private final double sigma;

  /**
   * A patch perturbation.
   *
   * @param shape the image shape of the states
   * @param grid cells per side, in [1, min(height, width)]
   * @param mode mean colour or blur
   * @param sigma blur standard deviation in pixels, positive (ignored for {@link Mode#MEAN})
   * @throws IllegalArgumentException if the grid does not fit the image or sigma is not positive
   */
  public PatchOcclusion(ImageShape shape, int grid, Mode mode, double sigma) {
    if (grid < 1 || grid > Math.min(shape.height(), shape.width())) {
      throw new IllegalArgumentException("grid must be in [1, " + Math.min(shape.height(), shape.width())
          + "] for a " + shape.height() + "x" + shape.width() + " image, got " + grid);
    }
    if (!(sigma > 0 && Double.isFinite(sigma))) {
      throw new IllegalArgumentException("sigma must be positive, got " + sigma);
    }
    this.shape = shape;
    this.grid = grid;
    this.mode = mode;
    this.sigma = sigma;
  }

  /** {@code grid * grid}. */
  @Override
  public int locations() {
    return grid * grid;
  }

  @Override
  public double[] apply(double[] state, int k) {
    if (state.length != shape.size()) {
      throw new IllegalArgumentException("state has length " + state.length + ", image " + shape + " needs " + shape.size());
    }
    if (k < 0 || k >= locations()) {
      throw new IllegalArgumentException("location must be in [0, " + (locations() - 1) + "], got " + k);
    }
    int i = k / grid;
    int j = k % grid;
    int r0 = i * shape.height() / grid;
    int r1 = (i + 1) * shape.height() / grid;
    int c0 = j * shape.width() / grid;
    int c1 = (j + 1) * shape.width() / grid;
    double[] out = state.clone();
    for (int ch = 0; ch < shape.channels(); ch++) {
      double mean = mode == Mode.MEAN ? channelMean(state, ch) : 0.0;
      for (int r = r0; r < r1; r++) {
        for (int c = c0; c < c1; c++) {
          out[shape.index(ch, r, c)] = mode == Mode.MEAN ? mean : blurred(state, ch, r, c);
        }
      }
    }
    return out;
  }

  private double channelMean(double[] state, int ch) {
    double sum = 0;
    int n = shape.height() * shape.width();
    int base = shape.index(ch, 0, 0);
    for (int p = 0; p < n; p++) {
      sum += state[base + p];
    }
    return sum / n;
  }

  private double blurred(double[] state, int ch, int r, int c) {
    int radius = (int) Math.ceil(3 * sigma);
    double num = 0;
    double den = 0;
    for (int rr = Math.max(0, r - radius); rr <= Math.min(shape.height() - 1, r + radius); rr++) {
      for (int cc = Math.max(0, c - radius); cc <= Math.min(shape.width() - 1, c + radius); cc++) {
        double w = Math.exp(-((rr - r) * (rr - r) + (cc - c) * (cc - c)) / (2 * sigma * sigma));
        num += w * state[shape.index(ch, rr, cc)];
        den += w;
      }
    }
    return num / den;
  }
}
