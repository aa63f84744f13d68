package dev.quill.quant.audit;

import java.io.Serializable;

/**
 * Nearest neighbours of a fixed sample of states among all states of other episodes, in standardized state
 * space (Euclidean). Each sampled state keeps the action of its nearest neighbour so far; partial searches
 * over disjoint parts of the data merge by keeping the nearer. Not thread-safe.
 */
public final class NeighbourSearch implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long[] sampleEpisode;
  private final double[][] sampleState;
  private final double[] bestDistance;
  private final double[][] bestState;
  private final double[][] bestAction;

  /**
   * A search for {@code states[i]} (standardized) of episode {@code episodes[i]}.
   */
  public NeighbourSearch(long[] episodes, double[][] states) {
    sampleEpisode = episodes.clone();
    sampleState = states;
    bestDistance = new double[states.length];
    java.util.Arrays.fill(bestDistance, Double.POSITIVE_INFINITY);
    bestState = new double[states.length][];
    bestAction = new double[states.length][];
  }

  /** Offers a candidate (raw state for the dither, standardized state for the distance, action). */
  public void offer(long episode, double[] rawState, double[] standardized, double[] action) {
    for (int i = 0; i < sampleState.length; i++) {
      if (sampleEpisode[i] == episode) {
        continue;
      }
      double[] s = sampleState[i];
      double limit = bestDistance[i];
      double d = 0;
      for (int j = 0; j < s.length && d < limit; j++) {
        double diff = s[j] - standardized[j];
        d += diff * diff;
      }
      if (d < limit) {
        bestDistance[i] = d;
        bestState[i] = rawState;
        bestAction[i] = action;
      }
    }
  }

  /** Keeps the nearer neighbour of each sampled state; returns this. */
  public NeighbourSearch merge(NeighbourSearch other) {
    for (int i = 0; i < bestDistance.length; i++) {
      if (other.bestDistance[i] < bestDistance[i]) {
        bestDistance[i] = other.bestDistance[i];
        bestState[i] = other.bestState[i];
        bestAction[i] = other.bestAction[i];
      }
    }
    return this;
  }

  /** Number of sampled states. */
  public int size() {
    return sampleState.length;
  }

  /** Whether sampled state {@code i} found a neighbour. */
  public boolean found(int i) {
    return bestAction[i] != null;
  }

  /** Euclidean distance from sampled state {@code i} to its neighbour (standardized units). */
  public double distance(int i) {
    return Math.sqrt(bestDistance[i]);
  }

  /** Raw state of the neighbour of sampled state {@code i}. */
  public double[] neighbourState(int i) {
    return bestState[i];
  }

  /** Action of the neighbour of sampled state {@code i}. */
  public double[] neighbourAction(int i) {
    return bestAction[i];
  }
}
