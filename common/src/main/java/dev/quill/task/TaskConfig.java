package dev.quill.task;

import dev.quill.config.Checks;

/**
 * Which built-in task to use and how to generate its demonstrations.
 *
 * @param name task name: {@code linear}, {@code linear-unstable}, {@code reach} or {@code scalar-trap}
 * @param episodes number of expert demonstration episodes to generate, in [1, 10000000]
 * @param horizon maximum episode length in steps, in [1, 100000]; 0 means the task's default
 * @param expertNoise standard deviation of Gaussian noise added to the expert's continuous actions
 *     (in action units), in [0, 10]
 */
public record TaskConfig(String name, int episodes, int horizon, double expertNoise) implements java.io.Serializable {

  /** Validates every key; messages name the key, the value and the allowed range. */
  public TaskConfig {
    Checks.oneOf("name", name, Tasks.names());
    Checks.inRange("episodes", episodes, 1, 10_000_000);
    Checks.inRange("horizon", horizon, 0, 100_000);
    Checks.inRange("expertNoise", expertNoise, 0.0, 10.0);
  }

  /** Builds the configured task. */
  public Task create() {
    return Tasks.create(this);
  }
}
