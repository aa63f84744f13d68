package dev.quill.nn.qat;

import dev.quill.config.Checks;
import java.util.List;

/**
 * Low-bit students of the full-precision teacher, each initialized from it and trained by parameter
 * averaging with the teacher's batch size and averaging frequency.
 *
 * @param bits weight bit width, one of 2, 3, 4, 8
 * @param perChannel per-output-channel scales (otherwise per tensor)
 * @param methods which students to build: {@code ptq} (round-to-nearest of the teacher), {@code qat}
 *     (token log-loss only), {@code qbc} (plus uniform distillation, beta = 1), {@code sqil} (plus
 *     saliency-weighted distillation)
 * @param epochs fine-tuning epochs of qat, qbc and sqil, in [1, 10000]
 * @param learningRate Adam learning rate of the fine-tuning, in (0, 1]
 */
public record QatConfig(int bits, boolean perChannel, List<String> methods, int epochs, double learningRate)
    implements java.io.Serializable {
  /** Allowed bit widths. */
  public static final List<Integer> BITS = List.of(2, 3, 4, 8);
  /** Allowed methods. */
  public static final List<String> METHODS = List.of("ptq", "qat", "qbc", "sqil");

  /** Validates every key. */
  public QatConfig {
    Checks.check(BITS.contains(bits), "bits", "bits must be one of " + BITS + ", got " + bits);
    Checks.present("methods", methods);
    Checks.check(!methods.isEmpty(), "methods", "methods must name at least one of " + METHODS + ", got []");
    for (String m : methods) {
      Checks.oneOf("methods", m, METHODS);
    }
    methods = List.copyOf(methods);
    Checks.inRange("epochs", epochs, 1, 10_000);
    Checks.inOpenClosed("learningRate", learningRate, 0.0, 1.0);
  }
}
