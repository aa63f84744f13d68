package dev.quill.dynamics;

import java.io.Serializable;
import java.util.List;

/**
 * Metadata of a saved dynamics model ({@code dynamics.json}).
 *
 * @param format always {@code quill.dynamics}
 * @param formatVersion version of the directory layout
 * @param stateDim state dimension
 * @param vocabSizes vocabulary of each token head, in the one-hot input's order
 * @param config the model configuration it was trained with
 * @param seed training seed
 * @param epochs epochs trained
 * @param heldoutNll final held-out Gaussian negative log-likelihood (mean over dimensions, nats, in
 *     normalized units), or NaN when not measured
 */
public record DynamicsInfo(String format, int formatVersion, int stateDim, List<Integer> vocabSizes, DynamicsConfig config,
    long seed, int epochs, double heldoutNll) implements Serializable {
  /** Format marker. */
  public static final String FORMAT = "quill.dynamics";
  /** Newest version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
}
