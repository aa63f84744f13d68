package dev.quill.task;

import dev.quill.task.image.ImageTask;
import dev.quill.task.lane.LaneRenderer;
import dev.quill.task.lane.LaneTask;
import dev.quill.task.reach.ReachRenderer;
import dev.quill.task.linear.LinearTask;
import dev.quill.task.reach.ReachTask;
import dev.quill.task.trap.ScalarTrapTask;
import java.util.List;

/** Registry of the built-in tasks. */
public final class Tasks {
  private static final List<String> NAMES = List.of("linear", "linear-unstable", "reach", "scalar-trap", "lane");

  private Tasks() {}

  /** Names accepted by {@link TaskConfig#name()}. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Creates the task named in {@code config} with its horizon and expert noise; with {@code observation: image}
   * wrapped in an {@link ImageTask} with the task's renderer.
   */
  public static Task create(TaskConfig config) {
    Task state = stateTask(config);
    if (config.observation().equals("state")) {
      return state;
    }
    return switch (config.name()) {
      case "reach" -> new ImageTask(state, new ReachRenderer(config.imageSize()));
      case "lane" -> new ImageTask(state, new LaneRenderer(config.imageSize()));
      default -> throw new IllegalArgumentException("task " + config.name() + " has no image observation");
    };
  }

  private static Task stateTask(TaskConfig config) {
    return switch (config.name()) {
      case "linear" -> new LinearTask(
          config.horizon() == 0 ? LinearTask.DEFAULT_HORIZON : config.horizon(), config.expertNoise());
      case "linear-unstable" -> new LinearTask(
          config.horizon() == 0 ? LinearTask.DEFAULT_HORIZON : config.horizon(), config.expertNoise(), true);
      case "reach" -> new ReachTask(
          config.horizon() == 0 ? ReachTask.DEFAULT_HORIZON : config.horizon(), config.expertNoise());
      case "scalar-trap" -> new ScalarTrapTask(
          config.horizon() == 0 ? ScalarTrapTask.DEFAULT_HORIZON : config.horizon(), config.expertNoise());
      case "lane" -> new LaneTask(
          config.horizon() == 0 ? LaneTask.DEFAULT_HORIZON : config.horizon(), config.expertNoise());
      default -> throw new IllegalArgumentException("unknown task " + config.name() + "; known: " + NAMES);
    };
  }
}
