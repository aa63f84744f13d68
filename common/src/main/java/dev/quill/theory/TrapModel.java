package dev.quill.theory;

import java.util.SplittableRandom;

/**
 * A token-conditioned transition model {@code M(x' | x, y)} of the expert on the {@link TrapQuantizer}
 * instance, as used by model-based augmentation (Cao &amp; Xie 2026, Algorithm 1 / Theorem 7, as
 * reconstructed in papers.md B8): the deployed policy is queried on an imagined state that this model
 * advances, while the decoded action drives the real system.
 */
public interface TrapModel {
  /**
   * Samples the next imagined state.
   *
   * @param x the imagined state
   * @param token the token the policy drew at {@code x}
   * @param decoded its decoded action
   * @param rawAction the expert action whose token is {@code token} (the policy's draw from {@code q#pi*}
   *     is a raw expert action pushed through the quantizer); only the exact model may use it
   * @param rng source of the model's own noise
   * @return {@code x'}
   */
  double next(double x, TrapQuantizer.Token token, double decoded, double rawAction, SplittableRandom rng);

  /**
   * The exact model: {@code x' = A x + B a} with {@code a} the raw expert action behind the token, i.e. a
   * draw from the expert's transition law conditioned on the token. For a deterministic expert it is the
   * expert's closed loop {@code A x + B arctan x} of table 2.
   */
  static TrapModel exact() {
    return (x, token, decoded, rawAction, rng) -> TrapQuantizer.step(x, rawAction);
  }
}
