package dev.quill.promote;

import dev.quill.eval.EvalSummary;

/**
 * What {@code models/current.json} records about the policy in {@code models/current/}.
 *
 * @param format always {@link #FORMAT}
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param policySha256 SHA-256 of the policy directory
 * @param eval the evaluation it was promoted with
 */
public record CurrentModel(String format, int formatVersion, String policySha256, EvalSummary eval) {
  /** Format name. */
  public static final String FORMAT = "quill.current-model";
  /** Current format version. */
  public static final int FORMAT_VERSION = 1;

  /** Checks format and version. */
  public CurrentModel {
    if (!FORMAT.equals(format) || formatVersion < 1 || formatVersion > FORMAT_VERSION) {
      throw new IllegalArgumentException("models/current.json: format " + format + " version " + formatVersion + " is not "
          + FORMAT + " versions 1 to " + FORMAT_VERSION);
    }
  }
}
