package dev.quill.quant.audit;

import dev.quill.quant.ActionTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The whole audit in one JVM over in-memory episodes (the Spark job {@code quill audit} computes the same
 * figures with the same accumulators, distributed). Pass 1 measures eps_q and code usage; pass 2 counts
 * smoothness violations over consecutive steps and over sampled nearest neighbours from other episodes in
 * standardized state space, with thresholds {@code k * epsMean_j} from pass 1.
 */
public final class LocalAudit {
  private LocalAudit() {}

  /**
   * Audits every candidate.
   *
   * @param candidates name to tokenizer, in report order
   * @param states {@code [episode][frame][stateDim]}
   * @param actions {@code [episode][frame][actionDim]} the expert's actions
   * @param config audit settings ({@code k}, {@code neighbourSamples})
   * @param seed seed of the neighbour sample
   */
  public static List<CandidateReport> run(Map<String, ActionTokenizer> candidates, double[][][] states,
      double[][][] actions, AuditConfig config, long seed) {
    double[][] stateMoments = moments(states);
    double[] actionStd = moments(actions)[1];
    int total = 0;
    for (double[][] ep : states) {
      total += ep.length;
    }
    int m = Math.min(config.neighbourSamples(), total);
    long[] sampleEpisode = new long[m];
    double[][] sampleState = new double[m][];
    double[][] sampleAction = new double[m][];
    double[][] sampleStd = new double[m][];
    StateProjection projection = StateProjection.of(stateMoments[0].length, config.projectionDim(), seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < m; i++) {
      int e = rng.nextInt(states.length);
      int f = rng.nextInt(states[e].length);
      sampleEpisode[i] = e;
      sampleState[i] = states[e][f];
      sampleAction[i] = actions[e][f];
      sampleStd[i] = projection.apply(standardize(states[e][f], stateMoments[0], stateMoments[1]));
    }
    NeighbourSearch nn = new NeighbourSearch(sampleEpisode, sampleStd);
    for (int e = 0; e < states.length; e++) {
      for (int f = 0; f < states[e].length; f++) {
        nn.offer(e, states[e][f], projection.apply(standardize(states[e][f], stateMoments[0], stateMoments[1])),
            actions[e][f]);
      }
    }
    List<CandidateReport> reports = new ArrayList<>();
    for (Map.Entry<String, ActionTokenizer> c : candidates.entrySet()) {
      ActionTokenizer t = c.getValue();
      CodeUsage usage = new CodeUsage(t);
      for (int e = 0; e < states.length; e++) {
        for (int f = 0; f < states[e].length; f++) {
          int[] tok = t.encode(states[e][f], actions[e][f]);
          usage.add(actions[e][f], tok, t.decode(states[e][f], tok));
        }
      }
      double[] threshold = CandidateReport.thresholds(usage, config.k());
      Smoothness consecutive = new Smoothness();
      for (int e = 0; e < states.length; e++) {
        for (int f = 1; f < states[e].length; f++) {
          consecutive.add(actions[e][f - 1], quantized(t, states[e][f - 1], actions[e][f - 1]), actions[e][f],
              quantized(t, states[e][f], actions[e][f]), threshold);
        }
      }
      Smoothness neighbours = neighbourPairs(t, nn, sampleState, sampleAction, threshold);
      reports.add(CandidateReport.of(c.getKey(), t, usage, consecutive, neighbours, actionStd));
    }
    return reports;
  }

  /** Smoothness over the sampled pairs of {@code nn} (sampled raw states and actions in sample order). */
  public static Smoothness neighbourPairs(ActionTokenizer t, NeighbourSearch nn, double[][] sampleStates,
      double[][] sampleActions, double[] threshold) {
    Smoothness s = new Smoothness();
    for (int i = 0; i < nn.size(); i++) {
      if (nn.found(i)) {
        s.add(sampleActions[i], quantized(t, sampleStates[i], sampleActions[i]), nn.neighbourAction(i),
            quantized(t, nn.neighbourState(i), nn.neighbourAction(i)), threshold);
      }
    }
    return s;
  }

  /** {@code decode(encode(action))} in {@code state}. */
  public static double[] quantized(ActionTokenizer t, double[] state, double[] action) {
    return t.decode(state, t.encode(state, action));
  }

  /** {@code (x - mean) / std} per dimension, with std 0 treated as 1. */
  public static double[] standardize(double[] x, double[] mean, double[] std) {
    double[] z = new double[x.length];
    for (int j = 0; j < z.length; j++) {
      z[j] = (x[j] - mean[j]) / (std[j] > 0 ? std[j] : 1.0);
    }
    return z;
  }

  /** Per-dimension mean and population standard deviation over every frame. */
  private static double[][] moments(double[][][] data) {
    int dim = data[0][0].length;
    double[] sum = new double[dim];
    double[] sq = new double[dim];
    long n = 0;
    for (double[][] ep : data) {
      for (double[] v : ep) {
        for (int j = 0; j < dim; j++) {
          sum[j] += v[j];
          sq[j] += v[j] * v[j];
        }
        n++;
      }
    }
    double[] mean = new double[dim];
    double[] std = new double[dim];
    for (int j = 0; j < dim; j++) {
      mean[j] = sum[j] / n;
      std[j] = Math.sqrt(Math.max(0, sq[j] / n - mean[j] * mean[j]));
    }
    return new double[][] {mean, std};
  }
}
