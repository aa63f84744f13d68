package dev.quill.task;

import dev.quill.task.lane.LaneTask;
import dev.quill.task.linear.LinearTask;
import dev.quill.task.reach.ReachTask;
import dev.quill.task.trap.ScalarTrapTask;
import java.util.List;

/** Registry of the built-in tasks. */
public final class Tasks {
  private static final List<String> NAMES = List.of("linear", "reach", "scalar-trap", "lane");

  private Tasks() {}

  /** Names accepted by {@link TaskConfig#name()}. */
  public static List<String> names() {
    return NAMES;
  }

  /** Creates the task named in {@code config} with its horizon and expert noise. */
  public static Task create(TaskConfig config) {
    return switch (config.name()) {
      case "linear" -> new LinearTask(
          config.horizon() == 0 ? LinearTask.DEFAULT_HORIZON : config.horizon(), config.expertNoise());
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
