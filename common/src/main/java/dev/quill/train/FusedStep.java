package dev.quill.train;

import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A fused training step over a cached {@link ExampleBlock}: what parameter averaging needs from a worker,
 * whichever network it trains. {@link FusedPolicyStep} trains MLP policies, {@link FusedConvStep}
 * convolutional ones; both update the network like {@code MultiLayerNetwork.fit} and keep Adam's moments on
 * the Java heap between steps.
 */
public interface FusedStep {

  /**
   * Fits one minibatch, examples {@code order[from] .. order[from + n - 1]} of {@code block}.
   *
   * @return the minibatch's mean loss as DL4J's score reports it: log-loss (nats, mean over heads), plus
   *     {@code alpha} times the teacher distance for the distilled loss
   */
  double fit(ExampleBlock block, int[] order, int from, int n);

  /** Writes the Adam moments kept on the heap back into the network's updater state. */
  void flush();

  /** Re-reads the network's Adam moments after they were replaced from outside (parameter averaging). */
  void reloadUpdaterState();

  /** The precision of this step's matrix products ({@link FusedConvStep}: always float32). */
  default MatmulPrecision precision() {
    return MatmulPrecision.FP32;
  }

  /**
   * Why no fused step can train {@code network} (both steps' reasons), or empty if one can.
   */
  static Optional<String> unsupportedReason(MultiLayerNetwork network) {
    Optional<String> mlp = FusedPolicyStep.unsupportedReason(network);
    if (mlp.isEmpty()) {
      return mlp;
    }
    Optional<String> conv = FusedConvStep.unsupportedReason(network);
    return conv.isEmpty() ? conv : Optional.of("MLP step: " + mlp.get() + "; conv step: " + conv.get());
  }

  /**
   * The fused step for {@code network}: {@link FusedPolicyStep} when it supports the network, else
   * {@link FusedConvStep}.
   *
   * @throws IllegalArgumentException naming both reasons if neither supports it
   */
  static FusedStep forNetwork(MultiLayerNetwork network) {
    return forNetwork(network, 1);
  }

  /**
   * {@link #forNetwork(MultiLayerNetwork)} with {@code lanes} data-parallel lanes for an MLP policy
   * ({@link FusedPolicyStep#FusedPolicyStep(MultiLayerNetwork, int)}); {@link FusedConvStep} has one lane.
   *
   * @throws IllegalArgumentException naming both reasons if neither supports it, or if {@code lanes < 1}
   */
  static FusedStep forNetwork(MultiLayerNetwork network, int lanes) {
    return forNetwork(network, lanes, MatmulPrecision.FP32);
  }

  /**
   * {@link #forNetwork(MultiLayerNetwork, int)} with an MLP policy's matrix products in {@code precision}
   * ({@link FusedPolicyStep#FusedPolicyStep(MultiLayerNetwork, int, MatmulPrecision)}); {@link FusedConvStep}
   * multiplies in float32 whatever {@code precision} asks ({@link #precision()} tells).
   *
   * @throws IllegalArgumentException naming both reasons if neither supports it, or if {@code lanes < 1}
   * @throws IllegalStateException for bf16 on a CPU without AVX-512 BF16 or AMX
   */
  static FusedStep forNetwork(MultiLayerNetwork network, int lanes, MatmulPrecision precision) {
    if (FusedPolicyStep.unsupportedReason(network).isEmpty()) {
      return new FusedPolicyStep(network, lanes, precision);
    }
    Optional<String> reason = unsupportedReason(network);
    if (reason.isPresent()) {
      throw new IllegalArgumentException("no fused step can train this network: " + reason.get());
    }
    return new FusedConvStep(network);
  }
}
