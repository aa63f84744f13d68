package dev.quill.task.linear;

/**
 * Dense linear algebra on small {@code double[][]} matrices (row-major, rectangular, non-empty), as used
 * by {@link Lqr}. Every operation returns a fresh matrix and leaves its arguments unchanged.
 */
final class SmallMatrix {
  private SmallMatrix() {}

  /**
   * Solves {@code M X = Y} for {@code X} by Gaussian elimination with partial pivoting.
   *
   * @param m square matrix, k×k
   * @param y right-hand sides, k×c
   * @return {@code X}, k×c
   * @throws ArithmeticException if {@code M} is singular to working precision
   */
  static double[][] solveLinear(double[][] m, double[][] y) {
    int k = m.length;
    double[][] lu = copy(m);
    double[][] x = copy(y);
    double scale = 0.0;
    for (double[] row : m) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int col = 0; col < k; col++) {
      int pivot = col;
      for (int i = col + 1; i < k; i++) {
        if (Math.abs(lu[i][col]) > Math.abs(lu[pivot][col])) {
          pivot = i;
        }
      }
      if (!(Math.abs(lu[pivot][col]) > 1e-14 * scale)) {
        throw new ArithmeticException("singular " + k + "x" + k + " matrix in linear solve");
      }
      swap(lu, col, pivot);
      swap(x, col, pivot);
      for (int i = col + 1; i < k; i++) {
        double f = lu[i][col] / lu[col][col];
        for (int j = col; j < k; j++) {
          lu[i][j] -= f * lu[col][j];
        }
        for (int j = 0; j < x[i].length; j++) {
          x[i][j] -= f * x[col][j];
        }
      }
    }
    for (int i = k - 1; i >= 0; i--) {
      for (int j = 0; j < x[i].length; j++) {
        double s = x[i][j];
        for (int l = i + 1; l < k; l++) {
          s -= lu[i][l] * x[l][j];
        }
        x[i][j] = s / lu[i][i];
      }
    }
    return x;
  }

  /** The product {@code x y}. */
  static double[][] multiply(double[][] x, double[][] y) {
    double[][] out = new double[x.length][y[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int l = 0; l < y.length; l++) {
        for (int j = 0; j < y[0].length; j++) {
          out[i][j] += x[i][l] * y[l][j];
        }
      }
    }
    return out;
  }

  /** The transpose of {@code x}. */
  static double[][] transpose(double[][] x) {
    double[][] out = new double[x[0].length][x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        out[j][i] = x[i][j];
      }
    }
    return out;
  }

  /** The sum {@code x + y}. */
  static double[][] add(double[][] x, double[][] y) {
    double[][] out = new double[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        out[i][j] = x[i][j] + y[i][j];
      }
    }
    return out;
  }

  /** The difference {@code x - y}. */
  static double[][] subtract(double[][] x, double[][] y) {
    double[][] out = new double[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        out[i][j] = x[i][j] - y[i][j];
      }
    }
    return out;
  }

  /** The symmetric part {@code (x + x') / 2} of a square matrix. */
  static double[][] symmetrize(double[][] x) {
    double[][] out = new double[x.length][x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        out[i][j] = 0.5 * (x[i][j] + x[j][i]);
      }
    }
    return out;
  }

  /** The largest absolute entry of {@code x - y}; {@code NaN} if any difference is {@code NaN}. */
  static double maxAbsDiff(double[][] x, double[][] y) {
    double max = 0.0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        double d = Math.abs(x[i][j] - y[i][j]);
        if (Double.isNaN(d)) {
          return d;
        }
        max = Math.max(max, d);
      }
    }
    return max;
  }

  private static void swap(double[][] x, int i, int j) {
    double[] t = x[i];
    x[i] = x[j];
    x[j] = t;
  }

  /** A deep copy of {@code x}. */
  static double[][] copy(double[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
    }
    return out;
  }

  /**
   * Requires {@code x} to be a non-null {@code n×m} matrix with {@code n, m >= 1} and finite entries.
   *
   * @throws IllegalArgumentException naming {@code name}, the expected shape and the offending entry
   */
  static void requireShape(double[][] x, String name, int n, int m) {
    if (n < 1 || m < 1) {
      throw new IllegalArgumentException(name + " must have at least one row and one column");
    }
    if (x == null || x.length != n) {
      throw new IllegalArgumentException(name + " must have " + n + " rows, got "
          + (x == null ? "null" : x.length));
    }
    for (int i = 0; i < n; i++) {
      if (x[i] == null || x[i].length != m) {
        throw new IllegalArgumentException(name + " must be " + n + "x" + m + ", row " + i + " has "
            + (x[i] == null ? "null" : x[i].length) + " entries");
      }
      for (int j = 0; j < m; j++) {
        if (!Double.isFinite(x[i][j])) {
          throw new IllegalArgumentException(name + "[" + i + "][" + j + "] is not finite: " + x[i][j]);
        }
      }
    }
  }
}
