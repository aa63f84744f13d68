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
 * @param approach how the workers train: {@code fused} (Quill's parameter averaging with the fused
 *     training step on examples cached in the executors; networks it does not support, such as QAT
 *     students, fall back to {@code export}/{@code direct}), {@code export} (DL4J's training master,
 *     serialized minibatches), {@code direct} (DL4J's training master, in-memory RDD), {@code auto}
 *     ({@code fused})
 */
public record TrainConfig(
    String head,
    List<Integer> hidden,
    int epochs,
    int batchSize,
    double learningRate,
    int averagingFrequency,
    String approach) implements java.io.Serializable {
  /** Allowed values of {@link #head()}. */
  public static final List<String> HEADS = List.of("factorized");
  /** Allowed values of {@link #approach()}. */
  public static final List<String> APPROACHES = List.of("auto", "fused", "export", "direct");

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
  }
}
