package dev.quill.saliency;

import java.util.function.Function;

/**
 * Computes SIS with a teacher: {@code SIS(s) = mean_k 1/2 ||z(s) - z(phi(s, k))||^2} where {@code z} are the
 * teacher's output logits (the official code's distance; Park et al., ICCV 2025, Eqs. 4-5). Each state and
 * its K perturbations are scored in one batched call of the teacher. Not thread-safe if the teacher is not.
 */
public final class SaliencyScorer {
  private final Function<double[][], float[][]> teacher;
  private final StatePerturbation perturbation;

  /**
   * A scorer.
   *
   * @param teacher maps a batch of raw states to their output logits
   * @param perturbation the perturbation phi
   */
  public SaliencyScorer(Function<double[][], float[][]> teacher, StatePerturbation perturbation) {
    this.teacher = teacher;
    this.perturbation = perturbation;
  }

  /** SIS of every state. */
  public double[] score(double[][] states) {
    int k = perturbation.locations();
    double[] sis = new double[states.length];
    for (int i = 0; i < states.length; i++) {
      double[][] batch = new double[k + 1][];
      batch[0] = states[i];
      for (int j = 0; j < k; j++) {
        batch[j + 1] = perturbation.apply(states[i], j);
      }
      float[][] z = teacher.apply(batch);
      double sum = 0;
      for (int j = 1; j <= k; j++) {
        double d = 0;
        for (int c = 0; c < z[0].length; c++) {
          double diff = z[0][c] - z[j][c];
          d += diff * diff;
        }
        sum += 0.5 * d;
      }
      sis[i] = sum / k;
    }
    return sis;
  }

  /**
   * Distillation weights: {@code beta} for states whose SIS is above the threshold {@code t}, 1 otherwise
   * (Eq. 6; the official code uses the 80th percentile of all scores and beta = 2).
   */
  public static double[] weights(double[] sis, double threshold, double beta) {
    double[] alpha = new double[sis.length];
    for (int i = 0; i < sis.length; i++) {
      alpha[i] = sis[i] > threshold ? beta : 1.0;
    }
    return alpha;
  }
}
