package dev.quill.eval;

import dev.quill.config.Checks;

/**
 * Closed-loop evaluation.
 *
 * @param episodes rollouts of the policy (and of the expert on the same seeds), in [1, 10000000]
 */
public record EvalConfig(int episodes) implements java.io.Serializable {

  /** Validates every key. */
  public EvalConfig {
    Checks.inRange("episodes", episodes, 1, 10_000_000);
  }
}
