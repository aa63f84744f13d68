package dev.quill.quant.uniform;

import dev.quill.data.FeatureStats;
import dev.quill.quant.QuantizeConfig;

/**
 * Fits a {@link UniformBinTokenizer} from action statistics: bounds are the dataset's min/max, or its
 * 1st/99th percentiles (OpenVLA's BOUNDS_Q99 recipe) when {@code bounds = q01q99}.
 */
public final class UniformBinFitter {
  private final QuantizeConfig config;

  /** Creates a fitter for {@code config} ({@code type} must be {@code uniform}). */
  public UniformBinFitter(QuantizeConfig config) {
    if (!UniformBinTokenizer.TYPE.equals(config.type())) {
      throw new IllegalArgumentException("UniformBinFitter needs quantize.type=uniform, got " + config.type());
    }
    this.config = config;
  }

  /** Fits bins to the action statistics. */
  public UniformBinTokenizer fit(FeatureStats actionStats) {
    boolean quantiles = "q01q99".equals(config.bounds());
    double[] low = quantiles ? actionStats.q01() : actionStats.min();
    double[] high = quantiles ? actionStats.q99() : actionStats.max();
    return new UniformBinTokenizer(config.numBins(), low, high);
  }
}
