package dev.quill.train;

/**
 * Whether {@link StepLane} computes its softmax, log-loss and output gradient with {@link VectorSoftmax}
 * (Java Vector API, about 5x less CPU than ND4J's native softmax op on the reference machine, whose generic
 * x86-64 build does not vectorize {@code exp}) or with ND4J's {@code softmax} op. The Vector API path needs
 * the JVM option {@code --add-modules jdk.incubator.vector} (set by {@code bin/quill} for {@code bench}), a
 * CPU with 8-lane float vectors, a number of bins divisible by 8, and is turned off by
 * {@code -Dquill.vectorSoftmax=false}; otherwise the ND4J path runs.
 */
final class SoftmaxLoss {
  /** The Vector API path is available in this JVM and not turned off. */
  static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"false".equals(System.getProperty("quill.vectorSoftmax")) && VectorSoftmaxProbe.hasEightLanes();

  private SoftmaxLoss() {}

  /** Whether rows of {@code width} bins take the Vector API path. */
  static boolean vectorized(int width) {
    return VECTORIZED && width % 8 == 0;
  }

  /** Loads the Vector API only after the module check. */
  private static final class VectorSoftmaxProbe {
    static boolean hasEightLanes() {
      return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() >= 8;
    }
  }
}
