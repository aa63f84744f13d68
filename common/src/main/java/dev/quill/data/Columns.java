package dev.quill.data;

/**
 * Column names of demonstration datasets: LeRobot's per-frame columns, as written by {@code generate}
 * and kept by {@code ingest} in the canonical dataset.
 */
public final class Columns {
  /** Episode number, int64. */
  public static final String EPISODE = "episode_index";
  /** Step number within the episode, 0-based and contiguous, int64. */
  public static final String FRAME = "frame_index";
  /** Seconds since the episode start, float32. */
  public static final String TIMESTAMP = "timestamp";
  /** State vector, array of float32. */
  public static final String STATE = "observation.state";
  /** Action vector, array of float32. */
  public static final String ACTION = "action";
  /** Reward of the transition, float32. */
  public static final String REWARD = "next.reward";
  /** Whether the episode ended after this step, bool. */
  public static final String DONE = "next.done";
  /** Whether the task's success event happened at this step, bool. */
  public static final String SUCCESS = "next.success";
  /** Canonical dataset only: {@code true} for held-out episodes, bool. */
  public static final String HELDOUT = "heldout";

  private Columns() {}
}
