package dev.quill.config;

import java.util.Collection;

/**
 * Validation helpers for config records. Every failure throws {@link ConfigException} with a message of
 * the form {@code "<key> must be in [lo, hi], got <value>"}.
 */
public final class Checks {
  private Checks() {}

  /** Requires {@code lo <= value <= hi}. */
  public static void inRange(String key, long value, long lo, long hi) {
    if (value < lo || value > hi) {
      throw new ConfigException(key, key + " must be in [" + lo + ", " + hi + "], got " + value);
    }
  }

  /** Requires a finite {@code value} with {@code lo <= value <= hi}. */
  public static void inRange(String key, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      throw new ConfigException(key, key + " must be in [" + lo + ", " + hi + "], got " + value);
    }
  }

  /** Requires a finite {@code value} with {@code lo < value <= hi}. */
  public static void inOpenClosed(String key, double value, double lo, double hi) {
    if (!(value > lo && value <= hi)) {
      throw new ConfigException(key, key + " must be in (" + lo + ", " + hi + "], got " + value);
    }
  }

  /** Requires {@code value} to be one of {@code allowed}. */
  public static void oneOf(String key, String value, Collection<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      throw new ConfigException(key, key + " must be one of " + allowed + ", got " + value);
    }
  }

  /** Requires a non-null, non-blank string. */
  public static void nonBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, key + " must be a non-empty string, got " + (value == null ? "nothing" : "\"" + value + "\""));
    }
  }

  /** Requires a non-null value (for nested sections). */
  public static <T> T present(String key, T value) {
    if (value == null) {
      throw new ConfigException(key, key + " must be set, got nothing");
    }
    return value;
  }

  /** Requires {@code condition}, otherwise fails with {@code key} and the full {@code message}. */
  public static void check(boolean condition, String key, String message) {
    if (!condition) {
      throw new ConfigException(key, message);
    }
  }
}
