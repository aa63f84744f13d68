package dev.quill.dynamics;

import dev.quill.eval.EpisodeOutcome;
import dev.quill.policy.Policy;
import dev.quill.task.StepResult;
import dev.quill.task.Task;
import dev.quill.task.TaskEpisode;
import java.util.ArrayList;
import java.util.List;

/**
 * Model-based deployment (Cao &amp; Xie 2026, Algorithm 1, as reconstructed in papers.md B8): the
 * imagined state starts at the real initial state; every step the policy picks tokens on the imagined
 * state, their decoded action drives the real system, and the imagined state advances by the dynamics
 * model's mean given the same tokens. The policy is therefore only queried on states whose law follows
 * the expert's (as learned by the model), never on the real, drifting ones. Episodes of all seeds advance
 * in lockstep (one batched forward pass per step).
 *
 * <p>Limits of this reading: the imagined state uses the model's mean, not a sample; the real state never
 * corrects the imagined one, so a biased model drifts open loop and its bias becomes a regret floor (the
 * broken-realizability control of papers.md claim 5), and on an unstable system the real state is not
 * stabilized by feedback at all.
 */
public final class ModelBasedRollouts {
  private ModelBasedRollouts() {}

  /**
   * Rolls out {@code policy} with model-based deployment on each seed.
   *
   * @throws IllegalArgumentException when the policy has no tokens ({@code continuous} head) or its
   *     tokenizer disagrees with the model's vocabulary
   */
  public static List<EpisodeOutcome> run(Task task, Policy policy, DynamicsModel model, long[] seeds) {
    if (!policy.tokenHead()) {
      throw new IllegalArgumentException("model-based deployment needs a token head; the continuous head has no tokens");
    }
    List<Integer> vocab = new ArrayList<>();
    for (int h = 0; h < policy.tokenizer().numHeads(); h++) {
      vocab.add(policy.tokenizer().vocabSize(h));
    }
    if (!vocab.equals(model.info().vocabSizes())) {
      throw new IllegalArgumentException("the dynamics model was trained on tokens with vocabularies " + model.info().vocabSizes()
          + " but the policy's tokenizer has " + vocab + "; retrain it with quill dynamics");
    }
    int n = seeds.length;
    TaskEpisode[] eps = new TaskEpisode[n];
    double[][] imagined = new double[n][];
    double[] returns = new double[n];
    EpisodeOutcome[] outcomes = new EpisodeOutcome[n];
    for (int i = 0; i < n; i++) {
      eps[i] = task.newEpisode(seeds[i]);
      imagined[i] = eps[i].state();
    }
    int running = n;
    while (running > 0) {
      int[] active = new int[running];
      double[][] states = new double[running][];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (outcomes[i] == null) {
          active[k] = i;
          states[k++] = imagined[i];
        }
      }
      int[][] tokens = policy.tokens(states);
      double[][] next = model.predictMean(states, tokens);
      for (int a = 0; a < active.length; a++) {
        int i = active[a];
        StepResult r = eps[i].step(policy.tokenizer().decode(states[a], tokens[a]));
        imagined[i] = next[a];
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
