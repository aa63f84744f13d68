package dev.quill.task;

/** Checks shared by every task's {@link TaskEpisode#step(double[])}. */
public final class Actions {
  private Actions() {}

  /**
   * Requires an action of length {@code dim} with finite entries.
   *
   * @throws IllegalArgumentException naming the expected length or the offending index and value
   */
  public static void check(double[] action, int dim) {
    if (action == null || action.length != dim) {
      throw new IllegalArgumentException("action must have length " + dim + ", got "
          + (action == null ? "null" : "length " + action.length));
    }
    for (int i = 0; i < action.length; i++) {
      if (!Double.isFinite(action[i])) {
        throw new IllegalArgumentException("action[" + i + "] must be finite, got " + action[i]);
      }
    }
  }
}
