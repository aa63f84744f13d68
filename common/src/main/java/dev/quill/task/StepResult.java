package dev.quill.task;

/**
 * Outcome of one step.
 *
 * @param reward reward of the transition
 * @param done whether the episode ended with this step (success, failure event, or horizon)
 * @param success whether the task's success event happened at this step
 * @param event a short machine-readable reason when {@code done} (e.g. {@code "success"},
 *     {@code "missed_grasp"}, {@code "horizon"}), otherwise {@code ""}
 */
public record StepResult(double reward, boolean done, boolean success, String event) {}
