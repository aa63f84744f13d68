package dev.quill.task.linear;

/** Test helper: upper bounds on the spectral radius via Gelfand's formula. */
final class SpectralBound {
  private SpectralBound() {}

  /**
   * Frobenius norm of {@code m^(2^squarings)}. Since {@code rho(m)^k <= ||m^k||} for any submultiplicative
   * norm, a value below 1 proves {@code rho(m) < 1}.
   */
  static double powerNorm(double[][] m, int squarings) {
    double[][] p = m;
    for (int i = 0; i < squarings; i++) {
      p = SmallMatrix.multiply(p, p);
    }
    double s = 0.0;
    for (double[] row : p) {
      for (double v : row) {
        s += v * v;
      }
    }
    return Math.sqrt(s);
  }
}
