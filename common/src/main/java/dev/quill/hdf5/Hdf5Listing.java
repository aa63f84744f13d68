package dev.quill.hdf5;

import dev.quill.data.Finding;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lists the episodes of one HDF5 file without reading their data (D4RL: only the {@code terminals} and
 * {@code timeouts} flags, to find the boundaries). This is what a driver does before it distributes the
 * {@link EpisodeRef}s; problems that concern the whole file (unreadable, unknown layout, missing or
 * inconsistent flat datasets) are returned as findings with episode -1.
 *
 * @param layout the file's layout (null when unknown)
 * @param episodes the episodes, in index order
 * @param problems file-level problems; when non-empty, {@code episodes} is empty
 */
public record Hdf5Listing(Hdf5Layout layout, List<EpisodeRef> episodes, List<Finding> problems) {

  /**
   * Lists {@code file}.
   *
   * @param label the file's name as reported
   * @param forced the layout to assume, or null to detect it
   * @param filterKey robomimic only: keep the demos listed in {@code mask/<filterKey>}; {@code ""} keeps all
   * @param firstEpisode D4RL only: index of the file's first episode (files are numbered consecutively)
   */
  public static Hdf5Listing of(Path file, String label, Hdf5Layout forced, String filterKey, long firstEpisode) {
    try (HdfFile hdf = new HdfFile(file)) {
      Hdf5Layout layout = forced != null ? forced : Hdf5Layout.detect(hdf);
      if (layout == null) {
        throw new FormatProblem(Hdf5Rule.UNKNOWN_LAYOUT, "", "the file " + Hdf5Rule.UNKNOWN_LAYOUT.description()
            + " (top-level keys " + hdf.getChildren().keySet() + ")");
      }
      String abs = file.toAbsolutePath().toString();
      List<EpisodeRef> refs = switch (layout) {
        case D4RL -> d4rl(hdf, abs, label, firstEpisode);
        case MINARI -> groups(hdf, abs, label, layout, "", "episode_", Set.of());
        case ROBOMIMIC -> groups(group(hdf, "data"), abs, label, layout, "data/", "demo_", mask(hdf, filterKey));
      };
      return new Hdf5Listing(layout, refs, List.of());
    } catch (FormatProblem p) {
      return new Hdf5Listing(forced, List.of(), List.of(finding(label, -1, p.key(), p.rule(), p.getMessage())));
    } catch (RuntimeException e) {
      return new Hdf5Listing(forced, List.of(), List.of(finding(label, -1, "", Hdf5Rule.UNREADABLE_FILE,
          "the file " + Hdf5Rule.UNREADABLE_FILE.description() + ": " + e)));
    }
  }

  /** A finding in the project's message style: file, episode, key, what is wrong, rule. */
  static Finding finding(String label, long episode, String key, Hdf5Rule rule, String detail) {
    String where = label + (episode >= 0 ? ": episode " + episode : "") + (key.isEmpty() ? "" : ", key " + key);
    return new Finding(label, episode, key, -1, rule.id(), where + ": " + detail + " (rule " + rule.id() + ")");
  }

  private static List<EpisodeRef> d4rl(HdfFile hdf, String abs, String label, long firstEpisode) {
    Dataset obs = Hdf5Arrays.checked(Hdf5Arrays.dataset(hdf, "observations", "observations"), "observations", 2);
    long n = Hdf5Arrays.steps(obs);
    for (String key : new String[] {"actions", "rewards", "terminals"}) {
      Dataset d = Hdf5Arrays.checked(Hdf5Arrays.dataset(hdf, key, key), key, key.equals("actions") ? new int[] {2} : new int[] {1, 2});
      if (Hdf5Arrays.steps(d) != n) {
        throw new FormatProblem(Hdf5Rule.LENGTH_MISMATCH, key, "dataset " + key + " has " + Hdf5Arrays.steps(d)
            + " rows but observations has " + n);
      }
    }
    float[] terminals = Hdf5Arrays.vector(hdf.getDatasetByPath("terminals"), 0, -1);
    float[] timeouts = hdf.getChildren().get("timeouts") instanceof Dataset t
        ? Hdf5Arrays.vector(Hdf5Arrays.checked(t, "timeouts", 1, 2), 0, -1) : new float[terminals.length];
    List<EpisodeRef> refs = new ArrayList<>();
    long start = 0;
    for (int i = 0; i < n; i++) {
      if (terminals[i] != 0 || timeouts[i] != 0 || i == n - 1) {
        refs.add(new EpisodeRef(abs, label, Hdf5Layout.D4RL, "", firstEpisode + refs.size(), start, i + 1 - start));
        start = i + 1;
      }
    }
    return refs;
  }

  private static List<EpisodeRef> groups(Group parent, String abs, String label, Hdf5Layout layout, String prefix,
      String stem, Set<String> keep) {
    Map<Long, String> byIndex = new TreeMap<>();
    for (Map.Entry<String, Node> e : parent.getChildren().entrySet()) {
      String name = e.getKey();
      if (e.getValue().isGroup() && name.startsWith(stem) && name.substring(stem.length()).matches("\\d+")
          && (keep.isEmpty() || keep.contains(name))) {
        byIndex.put(Long.parseLong(name.substring(stem.length())), name);
      }
    }
    List<EpisodeRef> refs = new ArrayList<>();
    byIndex.forEach((index, name) -> refs.add(new EpisodeRef(abs, label, layout, prefix + name, index, 0, -1)));
    return refs;
  }

  private static Group group(Group parent, String key) {
    if (!(parent.getChildren().get(key) instanceof Group g)) {
      throw new FormatProblem(Hdf5Rule.MISSING_KEY, key, "group " + key + " " + Hdf5Rule.MISSING_KEY.description());
    }
    return g;
  }

  private static Set<String> mask(HdfFile hdf, String filterKey) {
    if (filterKey.isEmpty()) {
      return Set.of();
    }
    Node masks = hdf.getChildren().get("mask");
    if (!(masks instanceof Group g) || !(g.getChildren().get(filterKey) instanceof Dataset d)) {
      throw new FormatProblem(Hdf5Rule.MISSING_KEY, "mask/" + filterKey, "split mask/" + filterKey + " "
          + Hdf5Rule.MISSING_KEY.description() + " (ingest.filterKey)");
    }
    Set<String> names = new HashSet<>();
    Object data = d.getDataFlat();
    for (int i = 0; i < java.lang.reflect.Array.getLength(data); i++) {
      names.add(String.valueOf(java.lang.reflect.Array.get(data, i)).trim());
    }
    return names;
  }
}
