package dev.quill.util;

/**
 * Derives independent 64-bit seeds from a master seed and a purpose, so stages never share a random
 * stream (SplitMix64 finalizer, Steele et al. 2014).
 */
public final class Seeds {
  /** Purpose of demonstration episode seeds. */
  public static final long DEMO = 0x44454d4fL;
  /** Purpose of evaluation episode seeds (disjoint from demonstrations). */
  public static final long EVAL = 0x4556414cL;
  /** Purpose of the network initialization and shuffling. */
  public static final long TRAIN = 0x545241494eL;
  /** Purpose of the held-out split. */
  public static final long SPLIT = 0x53504c4954L;

  private Seeds() {}

  /** The seed for item {@code index} of {@code purpose} under {@code master}. */
  public static long derive(long master, long purpose, long index) {
    return mix(mix(master ^ mix(purpose)) + index);
  }

  /**
   * The seed to give DL4J's network configurations for {@code seed}: the same, except that 0 becomes {@code mix(0)}.
   * DL4J takes a seed of 0 as "none" and then initializes the weights differently in every JVM (measured: two runs of
   * the same seed-0 network started from different parameters), which made runs with seed 0 (the bench's)
   * irreproducible.
   */
  public static long forDl4j(long seed) {
    return seed == 0 ? mix(0) : seed;
  }

  /** SplitMix64's output function: a bijective, well-mixing map of 64-bit values. */
  public static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
