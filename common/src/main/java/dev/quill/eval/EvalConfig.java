package dev.quill.eval;

import dev.quill.config.Checks;

/**
 * Closed-loop evaluation.
 *
 * @param episodes rollouts of the policy (and of the expert on the same seeds), in [1, 10000000]
 * @param deployment {@code direct} (the policy acts on the real state) or {@code model-based} (the policy
 *     acts on the state imagined by the run's dynamics model while its decoded actions drive the real
 *     system; Cao &amp; Xie 2026, Algorithm 1, papers.md B8; needs {@code quill dynamics} and a token head)
 */
public record EvalConfig(int episodes, String deployment) implements java.io.Serializable {
  /** Allowed values of {@link #deployment()}. */
  public static final java.util.List<String> DEPLOYMENTS = java.util.List.of("direct", "model-based");

  /** Validates every key. */
  public EvalConfig {
    Checks.inRange("episodes", episodes, 1, 10_000_000);
    Checks.oneOf("deployment", deployment, DEPLOYMENTS);
  }
}
