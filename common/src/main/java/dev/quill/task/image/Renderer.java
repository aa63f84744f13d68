package dev.quill.task.image;

import dev.quill.task.TaskEpisode;
import java.io.Serializable;

/**
 * Draws a task's episode as a top-down image. Implementations are immutable and thread-safe and accept only
 * episodes of their own task.
 */
public interface Renderer extends Serializable {

  /** The shape of every image this renderer draws. */
  ImageShape shape();

  /** One short name per channel, e.g. {@code "obstacles"}. */
  String[] channelNames();

  /**
   * Draws the current state of {@code episode} into a fresh raster of {@link #shape()}.
   *
   * @throws IllegalArgumentException if the episode is not of this renderer's task
   */
  Raster render(TaskEpisode episode);
}
