package dev.quill.quant.codebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Helpers of codebook fitting shared by the Spark fitter and tests. */
public final class Codebooks {
  private Codebooks() {}

  /**
   * The distinct codes of {@code centres}, in their first-seen order (k-means may return equal centres when
   * the data has fewer distinct points than K).
   */
  public static double[][] distinct(double[][] centres) {
    List<double[]> kept = new ArrayList<>();
    for (double[] c : centres) {
      boolean seen = false;
      for (double[] k : kept) {
        seen |= Arrays.equals(k, c);
      }
      if (!seen) {
        kept.add(c.clone());
      }
    }
    return kept.toArray(new double[0][]);
  }

  /** Per-dimension scale for standardization: the standard deviation, or 1 where it is 0 or not finite. */
  public static double[] safeScale(double[] std) {
    double[] s = new double[std.length];
    for (int j = 0; j < s.length; j++) {
      s[j] = std[j] > 0 && Double.isFinite(std[j]) ? std[j] : 1.0;
    }
    return s;
  }
}
