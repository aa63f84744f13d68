package dev.quill.task;

/**
 * A simulated control task with a scripted expert, used to generate demonstrations and to evaluate
 * policies closed-loop.
 *
 * <p>Contract: a task is immutable and thread-safe; all randomness of an episode comes from the seed
 * passed to {@link #newEpisode(long)}, so the same seed always yields the same initial state and,
 * for the same actions, the same trajectory. The expert of an episode draws its (optional) action
 * noise from a stream derived from the same seed, so an expert rollout is reproducible too.
 */
public interface Task {

  /** Short name used in configs and on the command line, e.g. {@code "reach"}. */
  String name();

  /** Length of the state vector returned by {@link TaskEpisode#state()}. */
  int stateDim();

  /** Length of the action vector accepted by {@link TaskEpisode#step(double[])}. */
  int actionDim();

  /** Maximum number of steps of an episode; an episode is done at the latest after this many steps. */
  int horizon();

  /** Human-readable names of the state dimensions, {@code stateDim()} entries. */
  String[] stateNames();

  /** Human-readable names of the action dimensions, {@code actionDim()} entries. */
  String[] actionNames();

  /** Starts an episode whose initial state (and expert noise) is determined by {@code seed}. */
  TaskEpisode newEpisode(long seed);

  /**
   * The image shape of the state when it is an image observation ({@code stateDim() == shape.size()}), or
   * {@code null} for a plain state vector.
   */
  default dev.quill.task.image.ImageShape imageShape() {
    return null;
  }

  /** Whether the task defines a success event (otherwise success is reported as {@code false}). */
  boolean hasSuccess();
}
