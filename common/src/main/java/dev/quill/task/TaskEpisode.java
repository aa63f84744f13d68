package dev.quill.task;

/**
 * One running episode of a {@link Task}. Not thread-safe: an episode is driven by one thread.
 *
 * <p>Call order: {@link #state()} and {@link #expertAction()} any number of times, then
 * {@link #step(double[])}; repeat until a step returns {@code done}. Calling {@code step} after the
 * episode is done throws {@link IllegalStateException}.
 */
public interface TaskEpisode {

  /** Current state, a fresh copy of length {@link Task#stateDim()}. */
  double[] state();

  /**
   * The scripted expert's action for the current state (with the task's configured expert noise, drawn
   * from the episode's own seeded stream), a fresh array of length {@link Task#actionDim()}.
   */
  double[] expertAction();

  /**
   * Applies {@code action} (length {@link Task#actionDim()}; values outside the task's action limits
   * are clipped by the task) and advances one step.
   *
   * @throws IllegalArgumentException if the action has the wrong length or a non-finite entry
   */
  StepResult step(double[] action);

  /** Number of steps taken so far. */
  int steps();

  /** Whether the episode has ended. */
  boolean done();
}
