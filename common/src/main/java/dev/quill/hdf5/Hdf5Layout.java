package dev.quill.hdf5;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.Locale;

/** The HDF5 demonstration layouts Quill reads (see the project README, "Input formats"). */
public enum Hdf5Layout {
  /** Flat {@code observations, actions, rewards, terminals, timeouts}; an episode ends at a terminal or timeout. */
  D4RL,
  /** Minari's {@code main_data.hdf5}: {@code episode_N} groups with one more observation than actions. */
  MINARI,
  /** robomimic: {@code data/demo_N/{obs/*, actions, rewards, dones}} and optional {@code mask/*} splits. */
  ROBOMIMIC;

  /** The lower-case name used by {@code --format}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The layout named {@code id} ({@code d4rl}, {@code minari}, {@code robomimic}). */
  public static Hdf5Layout of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }

  /**
   * Recognizes the layout of an open file from its top-level structure, or returns null when it is none of
   * them: a {@code data} group holding {@code demo_*} groups is robomimic, top-level {@code episode_*} groups
   * are Minari, a top-level {@code observations} dataset is D4RL.
   */
  public static Hdf5Layout detect(Group root) {
    Node data = root.getChildren().get("data");
    if (data instanceof Group g && g.getChildren().keySet().stream().anyMatch(k -> k.startsWith("demo_"))) {
      return ROBOMIMIC;
    }
    if (root.getChildren().keySet().stream().anyMatch(k -> k.startsWith("episode_"))) {
      return MINARI;
    }
    if (root.getChildren().get("observations") instanceof io.jhdf.api.Dataset) {
      return D4RL;
    }
    return null;
  }
}
