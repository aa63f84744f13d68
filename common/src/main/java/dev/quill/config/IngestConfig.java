package dev.quill.config;

import java.util.List;

/**
 * How {@code ingest} treats bad episodes and which episodes it holds out from training.
 *
 * @param onBadEpisode {@code quarantine}: skip bad episodes and report them; {@code fail}: stop with an
 *     error naming the first problems and write nothing
 * @param heldoutFraction fraction of episodes (chosen by a seeded hash of the episode index) held out
 *     from training for offline metrics, in [0, 0.5]
 */
public record IngestConfig(String onBadEpisode, double heldoutFraction) implements java.io.Serializable {
  /** Allowed values of {@link #onBadEpisode()}. */
  public static final List<String> POLICIES = List.of("quarantine", "fail");

  /** Validates every key. */
  public IngestConfig {
    Checks.oneOf("onBadEpisode", onBadEpisode, POLICIES);
    Checks.inRange("heldoutFraction", heldoutFraction, 0.0, 0.5);
  }
}
