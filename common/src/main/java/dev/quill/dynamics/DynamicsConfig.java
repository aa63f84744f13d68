package dev.quill.dynamics;

import dev.quill.config.Checks;
import java.util.List;

/**
 * The dynamics model and its training (minibatch size and averaging frequency are {@code train}'s).
 *
 * @param hidden widths of the hidden ReLU layers, 1 to 8 layers, each in [1, 65536]
 * @param epochs passes over the training transitions, in [1, 100000]
 * @param learningRate Adam learning rate, in (0, 1]
 */
public record DynamicsConfig(List<Integer> hidden, int epochs, double learningRate) implements java.io.Serializable {

  /** Validates every key. */
  public DynamicsConfig {
    Checks.present("hidden", hidden);
    Checks.inRange("hidden.length", hidden.size(), 1, 8);
    for (int i = 0; i < hidden.size(); i++) {
      Checks.present("hidden[" + i + "]", hidden.get(i));
      Checks.inRange("hidden[" + i + "]", hidden.get(i), 1, 65_536);
    }
    hidden = List.copyOf(hidden);
    Checks.inRange("epochs", epochs, 1, 100_000);
    Checks.inOpenClosed("learningRate", learningRate, 0.0, 1.0);
  }
}
