package dev.quill.quant;

import dev.quill.config.Checks;
import java.util.List;

/**
 * Which action tokenizer to fit and how.
 *
 * @param type tokenizer family; {@code uniform}: per-dimension uniform bins (Cao &amp; Xie 2026, Eq. 3)
 * @param numBins bins per action dimension, in [2, 65536]
 * @param bounds where the bin range comes from: {@code minmax} (dataset min/max) or {@code q01q99}
 *     (1st/99th percentiles, OpenVLA's BOUNDS_Q99 recipe; actions outside are clipped to the edge bins)
 */
public record QuantizeConfig(String type, int numBins, String bounds) implements java.io.Serializable {
  /** Allowed values of {@link #type()}. */
  public static final List<String> TYPES = List.of("uniform");
  /** Allowed values of {@link #bounds()}. */
  public static final List<String> BOUNDS = List.of("minmax", "q01q99");

  /** Validates every key. */
  public QuantizeConfig {
    Checks.oneOf("type", type, TYPES);
    Checks.inRange("numBins", numBins, 2, 65_536);
    Checks.oneOf("bounds", bounds, BOUNDS);
  }
}
