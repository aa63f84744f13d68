package dev.quill.theory;

import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The exponent {@code p} of a power law {@code y ~ c x^p}: the least-squares slope of {@code log y} on
 * {@code log x} (commons-math3 {@link SimpleRegression}). Used for claim 6 of papers.md (total regret
 * {@code ~ H^2} versus {@code ~ H}, Cao &amp; Xie 2026, Theorems 2 and 7).
 */
public final class LogLogSlope {
  private LogLogSlope() {}

  /**
   * The fitted exponent over all points.
   *
   * @throws IllegalArgumentException if the arrays differ in length, hold fewer than two points, or a
   *     value is not positive
   */
  public static double fit(double[] x, double[] y) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException("log-log slope needs two arrays of equal length >= 2, got " + x.length + " and "
          + y.length);
    }
    SimpleRegression regression = new SimpleRegression();
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] > 0 && y[i] > 0)) {
        throw new IllegalArgumentException("log-log slope needs positive values, got x[" + i + "] = " + x[i] + ", y[" + i
            + "] = " + y[i]);
      }
      regression.addData(Math.log(x[i]), Math.log(y[i]));
    }
    return regression.getSlope();
  }
}
