package dev.quill.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between Java float arrays and contiguous float {@link INDArray} vectors (a network's
 * flattened parameters, its updater state view), as one native memory copy each. ND4J's own paths
 * ({@code Nd4j.createFromArray(a)} then {@code assign}, or {@code dup().data().asFloat()}) go element by
 * element through its data-buffer indexer: for the 1.4 M floats of the bench model's parameters and Adam
 * state that was about 25 ms per copy on the reference machine, paid several times in every parameter
 * averaging round (README, Performance).
 */
public final class FlatCopy {
  private FlatCopy() {}

  /**
   * The elements of {@code a} as a new array.
   *
   * @throws IllegalArgumentException if {@code a} is not a contiguous float vector (element-wise
   *     stride 1)
   */
  public static float[] toArray(INDArray a) {
    float[] out = new float[Math.toIntExact(a.length())];
    FlatAdam.pointer(a).get(out, 0, out.length);
    return out;
  }

  /**
   * Copies the elements of {@code src} into {@code dst} and returns {@code dst} (reused buffers: arrays of
   * a million floats are humongous objects for G1, and allocating them every averaging round triggered
   * most of the training JVM's collections).
   *
   * @throws IllegalArgumentException if the lengths differ or {@code src} is not a contiguous float vector
   */
  public static float[] copyTo(INDArray src, float[] dst) {
    if (dst.length != src.length()) {
      throw new IllegalArgumentException("cannot copy an array of " + src.length() + " into " + dst.length + " floats");
    }
    FlatAdam.pointer(src).get(dst, 0, dst.length);
    return dst;
  }

  /**
   * Overwrites the elements of {@code dst} with {@code src}.
   *
   * @throws IllegalArgumentException if the lengths differ or {@code dst} is not a contiguous float
   *     vector
   */
  public static void copyInto(float[] src, INDArray dst) {
    if (src.length != dst.length()) {
      throw new IllegalArgumentException("cannot copy " + src.length + " floats into an array of " + dst.length());
    }
    FlatAdam.pointer(dst).put(src, 0, src.length);
  }
}
