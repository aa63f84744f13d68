package dev.quill.config;

import java.util.List;

/**
 * Scheduled retraining by {@code quill pipeline}: warm start and the promotion gate in front of
 * {@code models/current}.
 *
 * @param warmStart when training has to rerun and {@code models/current} exists with the same network
 *     shape, start from its parameters (and Adam state) instead of a fresh initialization
 * @param gateMetric the evaluation metric the gate compares: {@code successRate} (policy success rate,
 *     tolerance absolute) or {@code meanReturn} (policy mean return, tolerance relative to |current|)
 * @param gateTolerance how much worse than the current model's metric a new policy may be and still
 *     replace it, in [0, 1]
 */
public record RetrainConfig(boolean warmStart, String gateMetric, double gateTolerance) implements java.io.Serializable {
  /** Allowed values of {@link #gateMetric()}. */
  public static final List<String> METRICS = List.of("successRate", "meanReturn");

  /** Validates every key. */
  public RetrainConfig {
    Checks.oneOf("gateMetric", gateMetric, METRICS);
    Checks.inRange("gateTolerance", gateTolerance, 0.0, 1.0);
  }
}
