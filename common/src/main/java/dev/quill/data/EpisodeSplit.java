package dev.quill.data;

import dev.quill.util.Seeds;

/**
 * Deterministic train / held-out split by episode: an episode is held out when a seeded hash of its
 * index falls below the configured fraction, so the split does not depend on partitioning or order.
 */
public final class EpisodeSplit {
  private EpisodeSplit() {}

  /** Whether episode {@code episodeIndex} is held out under {@code seed} and {@code fraction}. */
  public static boolean isHeldOut(long episodeIndex, long seed, double fraction) {
    long h = Seeds.derive(seed, Seeds.SPLIT, episodeIndex) >>> 11;
    return h * 0x1.0p-53 < fraction;
  }
}
