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
 * @param activationBits bits of the LSQ-quantized hidden activations ({@link LsqActivation}), one of 0 (off), 2,
 *     3, 4, 8; W4A4 is {@code bits = 4, activationBits = 4}
 * @param distance distillation distance to the teacher, one of {@link dev.quill.loss.TeacherDistance#NAMES}
 *     ({@code logitMse}, the official code's, by default)
 */
public record QatConfig(int bits, boolean perChannel, List<String> methods, int epochs, double learningRate,
    int activationBits, String distance)
    implements java.io.Serializable {
  /** Allowed bit widths. */
  public static final List<Integer> BITS = List.of(2, 3, 4, 8);
  /** Allowed methods. */
  public static final List<String> METHODS = List.of("ptq", "qat", "qbc", "sqil");

  /** The same configuration at other bit widths and scale granularity. */
  public QatConfig withPrecision(int weightBits, int actBits, boolean channel) {
    return new QatConfig(weightBits, channel, methods, epochs, learningRate, actBits, distance);
  }

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
    Checks.check(activationBits == 0 || BITS.contains(activationBits), "activationBits",
        "activationBits must be 0 (off) or one of " + BITS + ", got " + activationBits);
    Checks.oneOf("distance", distance, dev.quill.loss.TeacherDistance.NAMES);
  }
}
