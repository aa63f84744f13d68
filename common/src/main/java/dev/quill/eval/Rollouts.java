package dev.quill.eval;

import dev.quill.policy.Policy;
import dev.quill.task.StepResult;
import dev.quill.task.Task;
import dev.quill.task.TaskEpisode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Closed-loop rollouts on a {@link Task}. Policy rollouts advance all episodes in lockstep so that each
 * step is one batched forward pass.
 */
public final class Rollouts {
  private Rollouts() {}

  /** Rolls out the task's scripted expert on each seed. */
  public static List<EpisodeOutcome> expert(Task task, long[] seeds) {
    List<EpisodeOutcome> out = new ArrayList<>(seeds.length);
    for (long seed : seeds) {
      TaskEpisode ep = task.newEpisode(seed);
      double ret = 0;
      StepResult r = null;
      while (!ep.done()) {
        r = ep.step(ep.expertAction());
        ret += r.reward();
      }
      out.add(new EpisodeOutcome(seed, ret, r != null && r.success(), ep.steps(), r == null ? "" : r.event()));
    }
    return out;
  }

  /** Rolls out {@code policy} (argmax tokens, decoded) on each seed. */
  public static List<EpisodeOutcome> policy(Task task, Policy policy, long[] seeds) {
    return batched(task, seeds, policy::act);
  }

  /**
   * Rolls out a batched controller on each seed: {@code controller} maps the states of the still running
   * episodes to their actions.
   */
  public static List<EpisodeOutcome> batched(Task task, long[] seeds, Function<double[][], double[][]> controller) {
    int n = seeds.length;
    TaskEpisode[] eps = new TaskEpisode[n];
    double[] returns = new double[n];
    EpisodeOutcome[] outcomes = new EpisodeOutcome[n];
    for (int i = 0; i < n; i++) {
      eps[i] = task.newEpisode(seeds[i]);
    }
    int running = n;
    while (running > 0) {
      int[] active = new int[running];
      double[][] states = new double[running][];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (outcomes[i] == null) {
          active[k] = i;
          states[k++] = eps[i].state();
        }
      }
      double[][] actions = controller.apply(states);
      for (int a = 0; a < active.length; a++) {
        int i = active[a];
        StepResult r = eps[i].step(actions[a]);
        returns[i] += r.reward();
        if (r.done()) {
          outcomes[i] = new EpisodeOutcome(seeds[i], returns[i], r.success(), eps[i].steps(), r.event());
          running--;
        }
      }
    }
    return List.of(outcomes);
  }
}
