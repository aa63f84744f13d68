package dev.quill.cli;

import picocli.CommandLine.Option;

/**
 * {@code --format} and {@code --on-bad-episode} of {@code ingest} and {@code convert}: shorthands for
 * {@code --set ingest.format=...} and {@code --set ingest.onBadEpisode=...} (validated with the config).
 */
final class ReaderOptions {
  @Option(names = "--format", paramLabel = "FORMAT",
      description = "input format: auto (default, detected), lerobot, d4rl, minari or robomimic")
  String format;

  @Option(names = "--on-bad-episode", paramLabel = "POLICY",
      description = "fail (stop, write nothing) or quarantine (skip and report bad episodes)")
  String onBadEpisode;

  /** Adds the overrides these options stand for to {@code options}. */
  void applyTo(RunOptions options) {
    if (format != null) {
      options.overrides.add("ingest.format=" + format);
    }
    if (onBadEpisode != null) {
      options.overrides.add("ingest.onBadEpisode=" + onBadEpisode);
    }
  }
}
