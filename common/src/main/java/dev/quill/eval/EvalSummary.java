package dev.quill.eval;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregate of closed-loop episodes.
 *
 * @param episodes number of episodes
 * @param meanReturn mean episode return
 * @param stdReturn standard deviation of episode returns
 * @param successRate fraction of episodes with the success event
 * @param meanSteps mean episode length
 * @param events count of episodes per ending event
 */
public record EvalSummary(int episodes, double meanReturn, double stdReturn, double successRate, double meanSteps,
    Map<String, Integer> events) {

  /** Summarizes {@code outcomes}. */
  public static EvalSummary of(List<EpisodeOutcome> outcomes) {
    int n = outcomes.size();
    double sum = 0;
    double sumSq = 0;
    double steps = 0;
    int success = 0;
    Map<String, Integer> events = new TreeMap<>();
    for (EpisodeOutcome o : outcomes) {
      sum += o.totalReturn();
      sumSq += o.totalReturn() * o.totalReturn();
      steps += o.steps();
      success += o.success() ? 1 : 0;
      events.merge(o.event(), 1, Integer::sum);
    }
    double mean = n == 0 ? 0 : sum / n;
    double var = n == 0 ? 0 : Math.max(0, sumSq / n - mean * mean);
    return new EvalSummary(n, mean, Math.sqrt(var), n == 0 ? 0 : (double) success / n, n == 0 ? 0 : steps / n, events);
  }
}
