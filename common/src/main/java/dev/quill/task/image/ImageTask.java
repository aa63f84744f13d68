package dev.quill.task.image;

import dev.quill.task.StepResult;
import dev.quill.task.Task;
import dev.quill.task.TaskEpisode;

/**
 * The image-observation variant of a task: the same dynamics, rewards, events and expert, but
 * {@link TaskEpisode#state()} is the {@link Renderer}'s image of the simulator state, flattened channel-major
 * (values in [0, 1]). The expert still acts on the simulator state (a privileged expert, as in "learning by
 * cheating"); a policy sees only the image. Immutable and thread-safe.
 */
public final class ImageTask implements Task {
  private final Task base;
  private final Renderer renderer;

  /** Wraps {@code base} so that its states are {@code renderer}'s images. */
  public ImageTask(Task base, Renderer renderer) {
    this.base = base;
    this.renderer = renderer;
  }

  /** The wrapped state task. */
  public Task base() {
    return base;
  }

  /** The renderer. */
  public Renderer renderer() {
    return renderer;
  }

  /** The base task's name (the observation kind is part of the config, not of the name). */
  @Override
  public String name() {
    return base.name();
  }

  /** {@code channels * height * width}. */
  @Override
  public int stateDim() {
    return renderer.shape().size();
  }

  @Override
  public int actionDim() {
    return base.actionDim();
  }

  @Override
  public int horizon() {
    return base.horizon();
  }

  /** {@code <channel>_<row>_<col>} for every feature, channel-major. */
  @Override
  public String[] stateNames() {
    ImageShape s = renderer.shape();
    String[] channels = renderer.channelNames();
    String[] names = new String[s.size()];
    for (int c = 0; c < s.channels(); c++) {
      for (int r = 0; r < s.height(); r++) {
        for (int col = 0; col < s.width(); col++) {
          names[s.index(c, r, col)] = channels[c] + "_" + r + "_" + col;
        }
      }
    }
    return names;
  }

  @Override
  public String[] actionNames() {
    return base.actionNames();
  }

  @Override
  public ImageShape imageShape() {
    return renderer.shape();
  }

  @Override
  public TaskEpisode newEpisode(long seed) {
    TaskEpisode episode = base.newEpisode(seed);
    return new TaskEpisode() {
      @Override
      public double[] state() {
        return renderer.render(episode).pixels();
      }

      @Override
      public double[] expertAction() {
        return episode.expertAction();
      }

      @Override
      public StepResult step(double[] action) {
        return episode.step(action);
      }

      @Override
      public int steps() {
        return episode.steps();
      }

      @Override
      public boolean done() {
        return episode.done();
      }
    };
  }

  @Override
  public boolean hasSuccess() {
    return base.hasSuccess();
  }

  @Override
  public String toString() {
    return "ImageTask[" + base + ", " + renderer.shape() + "]";
  }
}
