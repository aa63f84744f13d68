package dev.quill.policy;

import dev.quill.config.Checks;
import java.util.List;

/**
 * The policy network and how it is trained by parameter averaging. Spark trains with one worker per
 * executor core ({@code defaultParallelism}).
 *
 * @param head policy head; {@code factorized}: one softmax over bins per action dimension
 * @param hidden widths of the hidden ReLU layers, 1 to 8 layers, each in [1, 65536]
 * @param epochs passes over the training episodes, in [1, 100000]
 * @param batchSize minibatch size per worker, in [1, 1048576]
 * @param learningRate Adam learning rate, in (0, 1]
 * @param averagingFrequency minibatches each worker fits between parameter averages, in [1, 100000]
 * @param approach how examples reach the workers: {@code export} (serialized minibatches, fastest in
 *     local mode), {@code direct} (in-memory RDD, works on any master), {@code auto} (export for
 *     {@code local[..]} masters, direct otherwise)
 * @param network {@code mlp} (the hidden layers on the flat state) or {@code conv} (image observations: 3x3
 *     convolutions of stride 2 with {@code convChannels} output channels, ReLU, then the hidden layers); absent
 *     (policies written before the key existed) reads as {@code mlp}
 * @param convChannels output channels of the convolution layers of {@code conv}, 1 to 6 layers, each in [1, 1024];
 *     absent reads as {@code [16, 32]}
 */
public record TrainConfig(
    String head,
    List<Integer> hidden,
    int epochs,
    int batchSize,
    double learningRate,
    int averagingFrequency,
    String approach,
    String network,
    List<Integer> convChannels) implements java.io.Serializable {
  /** Allowed values of {@link #head()}. */
  public static final List<String> HEADS = List.of("factorized");
  /** Allowed values of {@link #approach()}. */
  public static final List<String> APPROACHES = List.of("auto", "export", "direct");
  /** Allowed values of {@link #network()}. */
  public static final List<String> NETWORKS = List.of("mlp", "conv");

  /** Validates every key. */
  public TrainConfig {
    Checks.oneOf("head", head, HEADS);
    Checks.present("hidden", hidden);
    Checks.inRange("hidden.length", hidden.size(), 1, 8);
    for (int i = 0; i < hidden.size(); i++) {
      Checks.present("hidden[" + i + "]", hidden.get(i));
      Checks.inRange("hidden[" + i + "]", hidden.get(i), 1, 65_536);
    }
    hidden = List.copyOf(hidden);
    Checks.inRange("epochs", epochs, 1, 100_000);
    Checks.inRange("batchSize", batchSize, 1, 1 << 20);
    Checks.inOpenClosed("learningRate", learningRate, 0.0, 1.0);
    Checks.inRange("averagingFrequency", averagingFrequency, 1, 100_000);
    Checks.oneOf("approach", approach, APPROACHES);
    network = network == null ? "mlp" : network;
    Checks.oneOf("network", network, NETWORKS);
    convChannels = convChannels == null ? List.of(16, 32) : convChannels;
    Checks.inRange("convChannels.length", convChannels.size(), 1, 6);
    for (int i = 0; i < convChannels.size(); i++) {
      Checks.present("convChannels[" + i + "]", convChannels.get(i));
      Checks.inRange("convChannels[" + i + "]", convChannels.get(i), 1, 1024);
    }
    convChannels = List.copyOf(convChannels);
  }

  /** A copy with another number of epochs. */
  public TrainConfig withEpochs(int newEpochs) {
    return new TrainConfig(head, hidden, newEpochs, batchSize, learningRate, averagingFrequency, approach, network,
        convChannels);
  }

  /** An MLP configuration (the keys that existed before {@code network}). */
  public static TrainConfig mlp(String head, List<Integer> hidden, int epochs, int batchSize, double learningRate,
      int averagingFrequency, String approach) {
    return new TrainConfig(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, "mlp",
        List.of(16, 32));
  }
}
