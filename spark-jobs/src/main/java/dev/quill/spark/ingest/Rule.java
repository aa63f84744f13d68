package dev.quill.spark.ingest;

/**
 * The validation rules of {@code ingest}; the name is what reports and messages call the rule.
 */
enum Rule {
  /** A value is NaN or infinite. */
  NON_FINITE("non_finite", "contains a NaN or infinite value"),
  /** A vector has another length than the dataset's state/action dimension. */
  WRONG_LENGTH("wrong_length", "has the wrong vector length"),
  /** A required value is null. */
  MISSING_VALUE("missing_value", "is missing (null)"),
  /** Frame indices do not run 0, 1, ..., n-1. */
  FRAME_GAP("frame_gap", "frame_index has gaps (must run 0..n-1)"),
  /** A frame index occurs more than once. */
  FRAME_REPEAT("frame_repeat", "frame_index repeats"),
  /** The same episode index occurs in more than one file. */
  DUPLICATE_EPISODE("duplicate_episode", "episode_index occurs in more than one file"),
  /** An episode listed in the metadata has no frames, or a data file has no rows. */
  EMPTY_EPISODE("empty_episode", "has no frames"),
  /** The metadata's episode length differs from the frames found. */
  LENGTH_MISMATCH("length_mismatch", "has a different number of frames than the episode metadata says"),
  /** An episode with a single frame (nothing to learn a transition from). */
  SHORT_EPISODE("short_episode", "has a single frame (at least 2 are required)"),
  /** Timestamps do not increase strictly with the frame index. */
  NON_MONOTONE_TIMESTAMP("non_monotone_timestamp", "timestamp does not increase with frame_index"),
  /** info.json's {@code image_shape} is not [C, H, W] with C·H·W equal to the state's shape. */
  BAD_IMAGE_SHAPE("bad_image_shape", "is not three positive integers [C, H, W] whose product is the state's shape");

  private final String id;
  private final String description;

  Rule(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** Rule name as reported. */
  String id() {
    return id;
  }

  /** What breaking the rule means, as a predicate phrase. */
  String description() {
    return description;
  }
}
