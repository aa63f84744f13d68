package dev.quill.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * An exported policy: normalization, the MLP trunk, the head and the action decoder, plus the export
 * metadata (JSON text: the policy's {@code policy.json} and how it was exported). Immutable and thread-safe;
 * run it through a {@link PolicyRunner} per thread.
 */
public final class PolicyModel {
  private final String metadata;
  private final Normalizer normalizer;
  private final List<DenseLayer> trunk;
  private final Head head;
  private final ActionDecoder decoder;

  /** Assembles a model; widths must chain (state → trunk → head) and head and decoder agree on tokens. */
  public PolicyModel(String metadata, Normalizer normalizer, List<DenseLayer> trunk, Head head, ActionDecoder decoder) {
    this.metadata = metadata;
    this.normalizer = normalizer;
    this.trunk = List.copyOf(trunk);
    this.head = head;
    this.decoder = decoder;
    int width = normalizer.dim();
    for (int l = 0; l < this.trunk.size(); l++) {
      if (this.trunk.get(l).nIn() != width) {
        throw new IllegalArgumentException("policy model: trunk layer " + l + " takes " + this.trunk.get(l).nIn()
            + " inputs, the previous stage gives " + width);
      }
      width = this.trunk.get(l).nOut();
    }
    if (head.inputWidth() != width) {
      throw new IllegalArgumentException("policy model: head takes " + head.inputWidth() + " inputs, the trunk gives " + width);
    }
    if (head.numTokens() != decoder.numHeads()) {
      throw new IllegalArgumentException("policy model: head selects " + head.numTokens() + " tokens, the "
          + decoder.type() + " decoder expects " + decoder.numHeads());
    }
    for (int j = 0; j < head.numTokens(); j++) {
      if (head.vocabSize(j) != decoder.vocabSize(j)) {
        throw new IllegalArgumentException("policy model: token " + j + " has vocabulary " + head.vocabSize(j)
            + " in the head and " + decoder.vocabSize(j) + " in the " + decoder.type() + " decoder");
      }
    }
  }

  /** Loads an artifact file ({@link ArtifactFormat#read(Path)}). */
  public static PolicyModel load(Path file) {
    return ArtifactFormat.read(file);
  }

  /** Export metadata (JSON text). */
  public String metadata() {
    return metadata;
  }

  /** State normalization. */
  public Normalizer normalizer() {
    return normalizer;
  }

  /** Hidden layers in order. */
  public List<DenseLayer> trunk() {
    return trunk;
  }

  /** The head. */
  public Head head() {
    return head;
  }

  /** The action decoder. */
  public ActionDecoder decoder() {
    return decoder;
  }

  /** State dimension. */
  public int stateDim() {
    return normalizer.dim();
  }

  /** Action dimension. */
  public int actionDim() {
    return decoder.actionDim();
  }

  /** A new runner with its own buffers (one per thread). */
  public PolicyRunner newRunner() {
    return new PolicyRunner(this);
  }
}
