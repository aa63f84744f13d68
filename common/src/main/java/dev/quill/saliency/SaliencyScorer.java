package dev.quill.saliency;

import java.util.function.Function;

/**
 * Computes SIS with a teacher: {@code SIS(s) = mean_k D(z(s), z(phi(s, k)))} where {@code z} are the
 * teacher's output logits and D a {@link SisDistance}, by default {@code 1/2 ||z(s) - z(phi(s, k))||^2} (the
 * official code's distance; Park et al., ICCV 2025, Eqs. 4-5). A batch of states
 * and all their perturbations are scored in one call of the teacher. Not thread-safe if the teacher is not.
 */
public final class SaliencyScorer {
  private final Function<double[][], float[][]> teacher;
  private final StatePerturbation perturbation;
  private final SisDistance distance;

  /**
   * A scorer with the logit distance {@code 1/2 ||z - z_k||^2}.
   *
   * @param teacher maps a batch of raw states to their output logits
   * @param perturbation the perturbation phi
   */
  public SaliencyScorer(Function<double[][], float[][]> teacher, StatePerturbation perturbation) {
    this(teacher, perturbation, SaliencyScorer::halfSquaredLogits);
  }

  /**
   * A scorer.
   *
   * @param teacher maps a batch of raw states to their output logits
   * @param perturbation the perturbation phi
   * @param distance the distance between the outputs at a state and at its perturbation
   */
  public SaliencyScorer(Function<double[][], float[][]> teacher, StatePerturbation perturbation, SisDistance distance) {
    this.teacher = teacher;
    this.perturbation = perturbation;
    this.distance = distance;
  }

  private static double halfSquaredLogits(double[] state, float[] z, float[] zk) {
    double d = 0;
    for (int c = 0; c < z.length; c++) {
      double diff = z[c] - zk[c];
      d += diff * diff;
    }
    return 0.5 * d;
  }

  /**
   * SIS and unperturbed teacher logits of a batch of states.
   *
   * @param sis SIS of each state
   * @param logits the teacher's logits of each (unperturbed) state
   */
  public record Scores(double[] sis, float[][] logits) {}

  /** SIS of every state. */
  public double[] score(double[][] states) {
    return scoreWithLogits(states).sis();
  }

  /**
   * SIS of every state together with the teacher's logits of the unperturbed states, computed with one
   * teacher call for all states and their {@code K} perturbations.
   */
  public Scores scoreWithLogits(double[][] states) {
    int k = perturbation.locations();
    double[][] batch = new double[states.length * (k + 1)][];
    for (int i = 0; i < states.length; i++) {
      batch[i * (k + 1)] = states[i];
      for (int j = 0; j < k; j++) {
        batch[i * (k + 1) + j + 1] = perturbation.apply(states[i], j);
      }
    }
    float[][] z = batch.length == 0 ? new float[0][] : teacher.apply(batch);
    double[] sis = new double[states.length];
    float[][] base = new float[states.length][];
    for (int i = 0; i < states.length; i++) {
      float[] z0 = z[i * (k + 1)];
      base[i] = z0;
      double sum = 0;
      for (int j = 1; j <= k; j++) {
        sum += distance.between(states[i], z0, z[i * (k + 1) + j]);
      }
      sis[i] = sum / k;
    }
    return new Scores(sis, base);
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
