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

  /** SplitMix64's output function: a bijective, well-mixing map of 64-bit values. */
  public static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
