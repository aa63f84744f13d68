package dev.quill.policy;

import java.io.Serializable;
import java.util.List;

/**
 * Metadata of a saved policy ({@code policy.json}).
 *
 * @param format always {@code quill.policy}
 * @param formatVersion version of the policy directory layout
 * @param head policy head type
 * @param task name of the task the policy was trained on
 * @param stateDim state dimension
 * @param actionDim action dimension
 * @param stateNames names of the state dimensions
 * @param actionNames names of the action dimensions
 * @param train training configuration
 * @param seed training seed
 * @param epochs epochs actually trained
 * @param heldoutLoss final held-out log-loss (mean over heads, nats), or NaN when not measured
 */
public record PolicyInfo(
    String format,
    int formatVersion,
    String head,
    String task,
    int stateDim,
    int actionDim,
    List<String> stateNames,
    List<String> actionNames,
    TrainConfig train,
    long seed,
    int epochs,
    double heldoutLoss) implements Serializable {
  /** Format marker. */
  public static final String FORMAT = "quill.policy";
  /** Newest policy directory version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
}
