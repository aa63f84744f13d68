package dev.quill.quant.mulaw;

import dev.quill.data.FeatureStats;
import dev.quill.quant.QuantizeConfig;

/**
 * Fits a {@link MuLawTokenizer} from action statistics: the scale of dimension j is
 * {@code max(|low_j|, |high_j|)} with the bounds from min/max or q01/q99 ({@code quantize.bounds}).
 */
public final class MuLawFitter {
  private final QuantizeConfig config;

  /** A fitter for {@code config} (any type; uses {@code numBins}, {@code bounds}, {@code mu}). */
  public MuLawFitter(QuantizeConfig config) {
    this.config = config;
  }

  /** Fits the scales to the action statistics. */
  public MuLawTokenizer fit(FeatureStats actionStats) {
    boolean quantiles = "q01q99".equals(config.bounds());
    double[] low = quantiles ? actionStats.q01() : actionStats.min();
    double[] high = quantiles ? actionStats.q99() : actionStats.max();
    double[] scale = new double[low.length];
    for (int j = 0; j < scale.length; j++) {
      scale[j] = Math.max(Math.abs(low[j]), Math.abs(high[j]));
    }
    return new MuLawTokenizer(config.numBins(), config.mu(), scale);
  }
}
