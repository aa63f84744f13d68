package dev.quill.train;

/**
 * Shape of one 2-D convolution over NCHW images (DL4J's {@code ConvolutionLayer} in {@code Truncate} mode,
 * dilation 1) and its im2col / col2im maps (Chellapilla et al. 2006, "High performance convolutional neural
 * networks for document processing": unfold the receptive fields into rows, then one GEMM).
 *
 * <p>Row {@code r = (b * outH + oy) * outW + ox} of the column matrix holds the receptive field of output
 * pixel {@code (oy, ox)} of example {@code b}; column {@code j = (c * kH + ky) * kW + kx} is input pixel
 * {@code (c, oy * sH - pH + ky, ox * sW - pW + kx)}, zero outside the image. This column order is DL4J's
 * weight layout {@code [out, in, kH, kW]} read as a row-major {@code [out, in * kH * kW]} matrix.
 *
 * @param channels input channels
 * @param height input height
 * @param width input width
 * @param outChannels output channels
 * @param kernelH kernel height
 * @param kernelW kernel width
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padH rows of zero padding above and below
 * @param padW columns of zero padding left and right
 */
public record ConvGeometry(int channels, int height, int width, int outChannels, int kernelH, int kernelW, int strideH,
    int strideW, int padH, int padW) {

  /** Checks that the convolution yields at least one output pixel. */
  public ConvGeometry {
    if (channels < 1 || height < 1 || width < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1 || strideH < 1
        || strideW < 1 || padH < 0 || padW < 0 || height + 2 * padH < kernelH || width + 2 * padW < kernelW) {
      throw new IllegalArgumentException("invalid convolution geometry " + channels + "x" + height + "x" + width
          + " -> " + outChannels + " channels, kernel " + kernelH + "x" + kernelW + ", stride " + strideH + "x" + strideW
          + ", padding " + padH + "x" + padW);
    }
  }

  /** Output height, {@code floor((H + 2 pH - kH) / sH) + 1} (DL4J's {@code Truncate} mode). */
  public int outHeight() {
    return (height + 2 * padH - kernelH) / strideH + 1;
  }

  /** Output width, {@code floor((W + 2 pW - kW) / sW) + 1}. */
  public int outWidth() {
    return (width + 2 * padW - kernelW) / strideW + 1;
  }

  /** Output pixels per channel. */
  public int outPixels() {
    return outHeight() * outWidth();
  }

  /** Columns of the column matrix: {@code in * kH * kW}. */
  public int patchSize() {
    return channels * kernelH * kernelW;
  }

  /** Input values per example: {@code in * H * W}. */
  public int inSize() {
    return channels * height * width;
  }

  /** Output values per example: {@code out * outH * outW}. */
  public int outSize() {
    return outChannels * outPixels();
  }

  /** Writes the {@code [n * outPixels, patchSize]} column matrix of {@code n} NCHW examples {@code x} into {@code cols}. */
  public void im2col(float[] x, int n, float[] cols) {
    int oh = outHeight();
    int ow = outWidth();
    int k = patchSize();
    int r = 0;
    for (int b = 0; b < n; b++) {
      int xb = b * inSize();
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++, r++) {
          int j = r * k;
          for (int c = 0; c < channels; c++) {
            int xc = xb + c * height * width;
            for (int ky = 0; ky < kernelH; ky++) {
              int iy = oy * strideH - padH + ky;
              boolean rowIn = iy >= 0 && iy < height;
              for (int kx = 0; kx < kernelW; kx++, j++) {
                int ix = ox * strideW - padW + kx;
                cols[j] = rowIn && ix >= 0 && ix < width ? x[xc + iy * width + ix] : 0f;
              }
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col}: sets {@code dx} (n NCHW examples) to the sum, over every column entry
   * that reads an input pixel, of that entry of {@code dcols}.
   */
  public void col2im(float[] dcols, int n, float[] dx) {
    java.util.Arrays.fill(dx, 0, n * inSize(), 0f);
    int oh = outHeight();
    int ow = outWidth();
    int k = patchSize();
    int r = 0;
    for (int b = 0; b < n; b++) {
      int xb = b * inSize();
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++, r++) {
          int j = r * k;
          for (int c = 0; c < channels; c++) {
            int xc = xb + c * height * width;
            for (int ky = 0; ky < kernelH; ky++) {
              int iy = oy * strideH - padH + ky;
              boolean rowIn = iy >= 0 && iy < height;
              for (int kx = 0; kx < kernelW; kx++, j++) {
                int ix = ox * strideW - padW + kx;
                if (rowIn && ix >= 0 && ix < width) {
                  dx[xc + iy * width + ix] += dcols[j];
                }
              }
            }
          }
        }
      }
    }
  }
}
