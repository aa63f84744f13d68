package dev.quill.task;

import dev.quill.config.Checks;
import java.util.List;

/**
 * Which built-in task to use and how to generate its demonstrations.
 *
 * @param name task name: {@code linear}, {@code linear-unstable}, {@code reach}, {@code scalar-trap} or {@code lane}
 * @param episodes number of expert demonstration episodes to generate, in [1, 10000000]
 * @param horizon maximum episode length in steps, in [1, 100000]; 0 means the task's default
 * @param expertNoise standard deviation of Gaussian noise added to the expert's continuous actions
 *     (in action units), in [0, 10]
 * @param observation {@code state} (the task's state vector) or {@code image} (a top-down raster rendered from
 *     the simulator state each step, flattened channel-major; {@code reach} and {@code lane} only)
 * @param imageSize height and width of image observations in pixels, in [8, 128]
 */
public record TaskConfig(String name, int episodes, int horizon, double expertNoise, String observation,
    int imageSize) implements java.io.Serializable {
  /** Allowed values of {@link #observation()}. */
  public static final List<String> OBSERVATIONS = List.of("state", "image");
  /** Tasks that have an image-observation variant. */
  public static final List<String> IMAGE_TASKS = List.of("reach", "lane");

  /** Validates every key; messages name the key, the value and the allowed range. */
  public TaskConfig {
    Checks.oneOf("name", name, Tasks.names());
    Checks.inRange("episodes", episodes, 1, 10_000_000);
    Checks.inRange("horizon", horizon, 0, 100_000);
    Checks.inRange("expertNoise", expertNoise, 0.0, 10.0);
    Checks.oneOf("observation", observation, OBSERVATIONS);
    Checks.inRange("imageSize", imageSize, 8, 128);
    Checks.check(observation.equals("state") || IMAGE_TASKS.contains(name), "observation",
        "observation image is available for tasks " + IMAGE_TASKS + ", got task " + name);
  }

  /** A state-observation config (image size at its default 32). */
  public static TaskConfig ofState(String name, int episodes, int horizon, double expertNoise) {
    return new TaskConfig(name, episodes, horizon, expertNoise, "state", 32);
  }

  /** Builds the configured task. */
  public Task create() {
    return Tasks.create(this);
  }
}
