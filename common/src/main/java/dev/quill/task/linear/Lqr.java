package dev.quill.task.linear;

import static dev.quill.task.linear.SmallMatrix.add;
import static dev.quill.task.linear.SmallMatrix.copy;
import static dev.quill.task.linear.SmallMatrix.maxAbsDiff;
import static dev.quill.task.linear.SmallMatrix.multiply;
import static dev.quill.task.linear.SmallMatrix.requireShape;
import static dev.quill.task.linear.SmallMatrix.solveLinear;
import static dev.quill.task.linear.SmallMatrix.subtract;
import static dev.quill.task.linear.SmallMatrix.symmetrize;
import static dev.quill.task.linear.SmallMatrix.transpose;

import java.util.Arrays;

/**
 * Infinite-horizon discrete-time linear-quadratic regulator for {@code x' = A x + B u} with stage cost
 * {@code x'Qx + u'Ru}, for small dense matrices.
 *
 * <p>The discrete algebraic Riccati equation is solved by fixed-point iteration starting from
 * {@code P = Q}: {@code P <- Q + A'PA - A'PB (R + B'PB)^-1 B'PA}, until the largest absolute change of an
 * entry is below {@value #TOLERANCE}, for at most {@value #MAX_ITERATIONS} iterations. The optimal control
 * is {@code u = -K x} with {@code K = (R + B'PB)^-1 B'PA}.
 */
public final class Lqr {
  /** Convergence threshold on the largest absolute change of an entry of {@code P}. */
  public static final double TOLERANCE = 1e-12;

  /** Iteration cap of the Riccati fixed-point iteration. */
  public static final int MAX_ITERATIONS = 100_000;

  private Lqr() {}

  /**
   * Riccati solution and feedback gain; both arrays are deep-copied on the way in and out.
   *
   * @param p the stabilizing solution {@code P} of the Riccati equation, n×n, symmetric
   * @param k the feedback gain {@code K}, m×n, so that {@code u = -K x}
   */
  public record Solution(double[][] p, double[][] k) {
    /** Stores deep copies of {@code p} and {@code k}. */
    public Solution {
      p = copy(p);
      k = copy(k);
    }

    /** A deep copy of {@code P}. */
    @Override
    public double[][] p() {
      return copy(p);
    }

    /** A deep copy of {@code K}. */
    @Override
    public double[][] k() {
      return copy(k);
    }

    /** Equal when both matrices are equal entry by entry. */
    @Override
    public boolean equals(Object other) {
      return other instanceof Solution s && Arrays.deepEquals(p, s.p) && Arrays.deepEquals(k, s.k);
    }

    /** Hash of the matrix entries, consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
      return 31 * Arrays.deepHashCode(p) + Arrays.deepHashCode(k);
    }

    /** Both matrices, row by row. */
    @Override
    public String toString() {
      return "Solution[p=" + Arrays.deepToString(p) + ", k=" + Arrays.deepToString(k) + "]";
    }
  }

  /**
   * Solves the discrete algebraic Riccati equation and returns {@code P} and {@code K}.
   *
   * @param a state matrix, n×n
   * @param b input matrix, n×m
   * @param q state cost, n×n, symmetric positive semi-definite
   * @param r input cost, m×m, symmetric positive definite
   * @throws IllegalArgumentException if a matrix is null, empty, ragged, has a non-finite entry, or the
   *     shapes do not fit together
   * @throws ArithmeticException if the iteration does not converge within {@value #MAX_ITERATIONS}
   *     iterations (e.g. {@code (A, B)} is not stabilizable) or {@code R + B'PB} is singular
   */
  public static Solution solve(double[][] a, double[][] b, double[][] q, double[][] r) {
    int n = a == null ? 0 : a.length;
    int m = b == null || b.length == 0 || b[0] == null ? 0 : b[0].length;
    requireShape(a, "A", n, n);
    requireShape(b, "B", n, m);
    requireShape(q, "Q", n, n);
    requireShape(r, "R", m, m);
    double[][] at = transpose(a);
    double[][] bt = transpose(b);
    double[][] p = copy(q);
    for (int iter = 1; iter <= MAX_ITERATIONS; iter++) {
      double[][] next = riccatiStep(a, at, b, bt, q, r, p);
      double change = maxAbsDiff(next, p);
      p = next;
      if (!Double.isFinite(change)) {
        break;
      }
      if (change < TOLERANCE) {
        return new Solution(p, gain(a, b, bt, r, p));
      }
    }
    throw new ArithmeticException("Riccati iteration did not reach a max abs change below " + TOLERANCE
        + " within " + MAX_ITERATIONS + " iterations; is (A, B) stabilizable?");
  }

  private static double[][] riccatiStep(
      double[][] a, double[][] at, double[][] b, double[][] bt, double[][] q, double[][] r, double[][] p) {
    double[][] atp = multiply(at, p);
    double[][] k = gain(a, b, bt, r, p);
    return symmetrize(add(q, subtract(multiply(atp, a), multiply(multiply(atp, b), k))));
  }

  private static double[][] gain(double[][] a, double[][] b, double[][] bt, double[][] r, double[][] p) {
    double[][] btp = multiply(bt, p);
    return solveLinear(add(r, multiply(btp, b)), multiply(btp, a));
  }
}
