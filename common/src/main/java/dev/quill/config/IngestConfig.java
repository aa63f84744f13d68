package dev.quill.config;

import java.util.List;

/**
 * How {@code ingest} reads demonstrations, treats bad episodes and holds out episodes from training.
 *
 * @param format input format: {@code auto} (detected), {@code lerobot} (Parquet, v2.x or v3.0),
 *     {@code d4rl}, {@code minari} or {@code robomimic} (HDF5)
 * @param onBadEpisode {@code quarantine}: skip bad episodes and report them; {@code fail}: stop with an
 *     error naming the first problems and write nothing
 * @param heldoutFraction fraction of episodes (chosen by a seeded hash of the episode index) held out
 *     from training for offline metrics, in [0, 0.5]
 * @param obsKeys Minari dict observations and robomimic {@code obs/}: the keys whose concatenation, in this
 *     order, is the state; empty = every per-step vector key, sorted by name (images are skipped)
 * @param filterKey robomimic: read only the demos listed in {@code mask/<filterKey>} (e.g. {@code train});
 *     {@code ""} reads all
 */
public record IngestConfig(String format, String onBadEpisode, double heldoutFraction, List<String> obsKeys,
    String filterKey) implements java.io.Serializable {
  /** Allowed values of {@link #onBadEpisode()}. */
  public static final List<String> POLICIES = List.of("quarantine", "fail");
  /** Allowed values of {@link #format()}. */
  public static final List<String> FORMATS = List.of("auto", "lerobot", "d4rl", "minari", "robomimic");

  /** Validates every key. */
  public IngestConfig {
    Checks.oneOf("format", format, FORMATS);
    Checks.oneOf("onBadEpisode", onBadEpisode, POLICIES);
    Checks.inRange("heldoutFraction", heldoutFraction, 0.0, 0.5);
    Checks.present("obsKeys", obsKeys);
    obsKeys = List.copyOf(obsKeys);
    for (String k : obsKeys) {
      Checks.nonBlank("obsKeys", k);
    }
    Checks.present("filterKey", filterKey);
  }
}
