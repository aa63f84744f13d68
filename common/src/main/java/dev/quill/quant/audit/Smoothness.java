package dev.quill.quant.audit;

import java.io.Serializable;

/**
 * The audit's smoothness measure, in the spirit of RTVC (Cao &amp; Xie 2026, Definition 4: a policy is
 * k·eps_q-RTVC when, for nearby states, its decoded actions differ by more than k·eps_q only with probability
 * bounded by a modulus of the state distance). For a deterministic expert and a pair of nearby states with
 * expert actions {@code a, a'}, Quill counts a violation when quantization adds more than the threshold to
 * the jump in some action dimension j:
 * {@code |q(a)_j - q(a')_j| - |a_j - a'_j| > k * epsMean_j}. Subtracting the expert's own jump keeps the
 * measure about the tokenizer (a fast-moving expert is not the tokenizer's fault). Uniform bins add at most one
 * bin width, about {@code 4 epsMean}, so they do not violate at k = 5 (at smaller k they do where the expert
 * rests on a bin edge: nearby states then flip between two bins); cells far coarser than average, or codes that
 * jump between unrelated actions (Theorem 6's learned quantizer), do. Mergeable counts; not thread-safe.
 */
public final class Smoothness implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double TOLERANCE = 1e-12;
  private long pairs;
  private long violations;

  /** Whether the pair violates: some dimension's added jump exceeds {@code threshold[j]}. */
  public static boolean violates(double[] a, double[] qa, double[] b, double[] qb, double[] threshold) {
    for (int j = 0; j < a.length; j++) {
      double added = Math.abs(qa[j] - qb[j]) - Math.abs(a[j] - b[j]);
      if (added > threshold[j] + TOLERANCE) {
        return true;
      }
    }
    return false;
  }

  /** Counts one pair. */
  public Smoothness add(double[] a, double[] qa, double[] b, double[] qb, double[] threshold) {
    pairs++;
    violations += violates(a, qa, b, qb, threshold) ? 1 : 0;
    return this;
  }

  /** Adds {@code other}'s counts into this and returns this. */
  public Smoothness merge(Smoothness other) {
    pairs += other.pairs;
    violations += other.violations;
    return this;
  }

  /** Pairs counted. */
  public long pairs() {
    return pairs;
  }

  /** Violating pairs. */
  public long violations() {
    return violations;
  }

  /** Violations per pair (0 without pairs). */
  public double rate() {
    return pairs == 0 ? 0 : (double) violations / pairs;
  }
}
