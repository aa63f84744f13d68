package dev.quill.hdf5;

import dev.quill.data.Finding;
import java.util.List;

/**
 * One episode as read from HDF5: per-step state, action, reward and done flag, or the problems that make it
 * unusable (then the arrays are empty).
 *
 * @param ref where it came from
 * @param state state per step
 * @param action action per step
 * @param reward reward per step
 * @param done whether the step ends the episode (terminal, timeout, termination, truncation or done)
 * @param problems format rules broken; empty when the episode was read
 */
public record EpisodeData(EpisodeRef ref, float[][] state, float[][] action, float[] reward, boolean[] done,
    List<Finding> problems) {
  /** An episode that could not be read. */
  static EpisodeData failed(EpisodeRef ref, List<Finding> problems) {
    return new EpisodeData(ref, new float[0][], new float[0][], new float[0], new boolean[0], List.copyOf(problems));
  }
}
