package dev.quill.saliency;

import java.io.Serializable;

/**
 * A local perturbation {@code phi(s, k)} of a state vector at location {@code k}. Implementations are
 * immutable and thread-safe.
 */
public interface StatePerturbation extends Serializable {

  /** Number of locations {@code k}. */
  int locations();

  /** A perturbed copy of {@code state} at location {@code k}; {@code state} is not modified. */
  double[] apply(double[] state, int k);
}
