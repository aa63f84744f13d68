package dev.quill.hdf5;

import dev.quill.data.Finding;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one episode of a D4RL, Minari or robomimic file (meant to run inside an executor, on an
 * {@link EpisodeRef} the driver listed) and checks the layout's own rules: required keys, ranks, numeric
 * dtypes, steps that agree between datasets (Minari: one more observation than actions, the reset
 * observation; the last is dropped), and at least one step. Value rules (NaN, vector lengths, ...) are left
 * to the shared validation of the frames.
 *
 * <p>The state is the concatenation, in order, of the observation keys: {@code obsKeys} when given, otherwise
 * every numeric observation dataset with at most one dimension per step (images are skipped), sorted by name.
 */
public final class Hdf5EpisodeReader {
  private Hdf5EpisodeReader() {}

  /** Reads {@code ref} from the already open {@code hdf}; never throws for bad data, reports it instead. */
  public static EpisodeData read(HdfFile hdf, EpisodeRef ref, List<String> obsKeys) {
    try {
      return switch (ref.layout()) {
        case D4RL -> d4rl(hdf, ref);
        case MINARI -> grouped(hdf, ref, obsKeys, "observations", 1, "rewards", List.of("terminations", "truncations"));
        case ROBOMIMIC -> grouped(hdf, ref, obsKeys, "obs", 0, "rewards", List.of("dones"));
      };
    } catch (FormatProblem p) {
      return EpisodeData.failed(ref, List.of(finding(ref, p.key(), p.rule(), p.getMessage())));
    } catch (RuntimeException e) {
      return EpisodeData.failed(ref, List.of(finding(ref, "", Hdf5Rule.UNREADABLE_FILE,
          "the episode " + Hdf5Rule.UNREADABLE_FILE.description() + ": " + e)));
    }
  }

  private static Finding finding(EpisodeRef ref, String key, Hdf5Rule rule, String detail) {
    String shown = key.isEmpty() || ref.group().isEmpty() ? key : ref.group() + "/" + key;
    return Hdf5Listing.finding(ref.label(), ref.episode(), shown, rule, detail);
  }

  private static EpisodeData d4rl(HdfFile hdf, EpisodeRef ref) {
    long s = ref.start();
    long n = ref.length();
    float[][] state = Hdf5Arrays.matrix(hdf.getDatasetByPath("observations"), s, n);
    float[][] action = Hdf5Arrays.matrix(hdf.getDatasetByPath("actions"), s, n);
    float[] reward = Hdf5Arrays.vector(hdf.getDatasetByPath("rewards"), s, n);
    float[] term = Hdf5Arrays.vector(hdf.getDatasetByPath("terminals"), s, n);
    float[] timeout = hdf.getChildren().get("timeouts") instanceof Dataset t ? Hdf5Arrays.vector(t, s, n) : new float[(int) n];
    boolean[] done = new boolean[(int) n];
    for (int i = 0; i < n; i++) {
      done[i] = term[i] != 0 || timeout[i] != 0;
    }
    return new EpisodeData(ref, state, action, reward, done, List.of());
  }

  private static EpisodeData grouped(HdfFile hdf, EpisodeRef ref, List<String> obsKeys, String obsKey, int extraObs,
      String rewardKey, List<String> flagKeys) {
    if (!(hdf.getByPath(ref.group()) instanceof Group g)) {
      throw new FormatProblem(Hdf5Rule.MISSING_KEY, "", "group " + ref.group() + " " + Hdf5Rule.MISSING_KEY.description());
    }
    float[][] action = features(g, "actions", List.of(), -1);
    int steps = action.length;
    if (steps == 0) {
      throw new FormatProblem(Hdf5Rule.EMPTY_EPISODE, "actions", "the episode " + Hdf5Rule.EMPTY_EPISODE.description());
    }
    float[][] obs = features(g, obsKey, obsKeys, steps + extraObs);
    float[][] state = extraObs == 0 ? obs : java.util.Arrays.copyOf(obs, steps);
    float[] reward = column(g, rewardKey, steps, true);
    boolean[] done = new boolean[steps];
    for (String flag : flagKeys) {
      float[] f = column(g, flag, steps, false);
      for (int i = 0; f != null && i < steps; i++) {
        done[i] |= f[i] != 0;
      }
    }
    return new EpisodeData(ref, state, action, reward, done, List.of());
  }

  /** One per-step scalar dataset ({@code (T,)} or {@code (T,1)}) of exactly {@code steps} entries. */
  private static float[] column(Group g, String key, int steps, boolean required) {
    if (!required && !(g.getChildren().get(key) instanceof Dataset)) {
      return null;
    }
    Dataset d = Hdf5Arrays.checked(Hdf5Arrays.dataset(g, key, key), key, 1, 2);
    if (d.getDimensions().length == 2 && d.getDimensions()[1] != 1) {
      throw new FormatProblem(Hdf5Rule.WRONG_RANK, key, "dataset " + key + " has shape "
          + java.util.Arrays.toString(d.getDimensions()) + ", expected one value per step");
    }
    requireSteps(d, key, steps, "actions");
    return Hdf5Arrays.vector(d, 0, -1);
  }

  /**
   * The per-step vectors of {@code key}: a rank-2 dataset, or a group of datasets (dict spaces, robomimic
   * {@code obs}) concatenated in key order. {@code expectedSteps < 0} accepts any common length.
   */
  private static float[][] features(Group g, String key, List<String> wanted, int expectedSteps) {
    Node node = g.getChildren().get(key);
    if (node == null) {
      throw new FormatProblem(Hdf5Rule.MISSING_KEY, key, (key.equals("actions") ? "dataset " : "key ") + key + " "
          + Hdf5Rule.MISSING_KEY.description());
    }
    Map<String, Dataset> parts = new TreeMap<>();
    if (node instanceof Dataset d) {
      parts.put(key, Hdf5Arrays.checked(d, key, 2));
    } else {
      Group sub = (Group) node;
      if (!wanted.isEmpty()) {
        List<String> ordered = new ArrayList<>(wanted);
        Map<String, Dataset> inOrder = new java.util.LinkedHashMap<>();
        for (String k : ordered) {
          inOrder.put(k, Hdf5Arrays.checked(Hdf5Arrays.dataset(sub, k, key + "/" + k), key + "/" + k, 1, 2));
        }
        return concat(inOrder, key, expectedSteps);
      }
      for (Map.Entry<String, Node> e : sub.getChildren().entrySet()) {
        if (e.getValue() instanceof Dataset d && d.getDimensions().length <= 2 && !d.isScalar()) {
          parts.put(e.getKey(), Hdf5Arrays.checked(d, key + "/" + e.getKey(), 1, 2));
        }
      }
      if (parts.isEmpty()) {
        throw new FormatProblem(Hdf5Rule.MISSING_KEY, key, "group " + key + " has no per-step vector dataset");
      }
      Map<String, Dataset> prefixed = new java.util.LinkedHashMap<>();
      parts.forEach((k, v) -> prefixed.put(key + "/" + k, v));
      return concat(prefixed, key, expectedSteps);
    }
    return concat(Map.of(key, parts.get(key)), key, expectedSteps);
  }

  private static float[][] concat(Map<String, Dataset> parts, String key, int expectedSteps) {
    int steps = expectedSteps;
    int width = 0;
    for (Map.Entry<String, Dataset> e : parts.entrySet()) {
      String name = e.getKey().contains("/") || e.getKey().equals(key) ? e.getKey() : key + "/" + e.getKey();
      if (steps < 0) {
        steps = (int) Hdf5Arrays.steps(e.getValue());
      }
      requireSteps(e.getValue(), name, steps, key.equals("actions") ? "the other action keys" : "actions");
      int[] dims = e.getValue().getDimensions();
      width += dims.length == 1 ? 1 : dims[1];
    }
    float[][] out = new float[steps][width];
    int col = 0;
    for (Dataset d : parts.values()) {
      int[] dims = d.getDimensions();
      int w = dims.length == 1 ? 1 : dims[1];
      float[] flat = Hdf5Arrays.flat(d.getDataFlat());
      for (int i = 0; i < steps; i++) {
        System.arraycopy(flat, i * w, out[i], col, w);
      }
      col += w;
    }
    return out;
  }

  private static void requireSteps(Dataset d, String key, int steps, String versus) {
    if (Hdf5Arrays.steps(d) != steps) {
      throw new FormatProblem(Hdf5Rule.LENGTH_MISMATCH, key, "dataset " + key + " has " + Hdf5Arrays.steps(d)
          + " rows, expected " + steps + " to match " + versus
          + (versus.equals("actions") && key.startsWith("observations") ? " (Minari stores one more observation than actions)" : ""));
    }
  }
}
