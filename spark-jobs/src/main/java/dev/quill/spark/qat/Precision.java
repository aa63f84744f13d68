package dev.quill.spark.qat;

import dev.quill.nn.qat.QatConfig;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One precision of the SQIL comparison, written {@code W<b>[A<a>][-pt]}: weights to b bits, hidden activations
 * to a bits with LSQ (none when absent), per-tensor weight scales with {@code -pt} (per channel otherwise), e.g.
 * {@code W4}, {@code W4A4}, {@code W2-pt}.
 *
 * @param weightBits weight bits, one of {@link QatConfig#BITS}
 * @param activationBits activation bits, 0 (float) or one of {@link QatConfig#BITS}
 * @param perChannel per-output-channel weight scales
 */
public record Precision(int weightBits, int activationBits, boolean perChannel) {
  /** The default list: W8, W4, W3, W2 and W4A4, per channel. */
  public static final List<String> DEFAULTS = List.of("W8", "W4", "W3", "W2", "W4A4");
  private static final Pattern FORMAT = Pattern.compile("[Ww](\\d+)(?:[Aa](\\d+))?(-pt)?");

  /** Validates the bit widths. */
  public Precision {
    if (!QatConfig.BITS.contains(weightBits) || (activationBits != 0 && !QatConfig.BITS.contains(activationBits))) {
      throw new IllegalArgumentException("precision bits must be one of " + QatConfig.BITS + ", got W" + weightBits
          + (activationBits == 0 ? "" : "A" + activationBits));
    }
  }

  /** Parses {@code W<b>[A<a>][-pt]}. */
  public static Precision parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("precision must look like W4, W4A4 or W4-pt, got '" + text + "'");
    }
    return new Precision(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
        m.group(3) == null);
  }

  /** The canonical label, e.g. {@code W4A4} or {@code W2-pt}. */
  public String label() {
    return "W" + weightBits + (activationBits > 0 ? "A" + activationBits : "") + (perChannel ? "" : "-pt");
  }

  /** The {@code --set} overrides selecting this precision. */
  public List<String> overrides() {
    return List.of("qat.bits=" + weightBits, "qat.activationBits=" + activationBits, "qat.perChannel=" + perChannel);
  }
}
