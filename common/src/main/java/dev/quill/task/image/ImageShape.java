package dev.quill.task.image;

/**
 * Shape of an image observation, flattened channel-major: feature {@code (c * height + r) * width + col} is
 * channel {@code c}, row {@code r}, column {@code col} (DL4J's {@code InputType.convolutionalFlat} order).
 *
 * @param channels number of channels, at least 1
 * @param height rows, at least 1
 * @param width columns, at least 1
 */
public record ImageShape(int channels, int height, int width) implements java.io.Serializable {
  /** Checks that every extent is positive. */
  public ImageShape {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
    }
  }

  /** Number of features, {@code channels * height * width}. */
  public int size() {
    return channels * height * width;
  }

  /** Index of channel {@code c}, row {@code r}, column {@code col} in the flattened vector. */
  public int index(int c, int r, int col) {
    return (c * height + r) * width + col;
  }
}
