package dev.quill.task.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LqrTest {

  private static double[][] m(double v) {
    return new double[][] {{v}};
  }

  /** Positive root of {@code b^2 p^2 + (r - q b^2 - a^2 r) p - q r = 0}, the scalar DARE. */
  private static double scalarP(double a, double b, double q, double r) {
    double c1 = r - q * b * b - a * a * r;
    return (-c1 + Math.sqrt(c1 * c1 + 4.0 * b * b * q * r)) / (2.0 * b * b);
  }

  @Test
  void solve_scalarUnitSystem_givesGoldenRatio() {
    Lqr.Solution s = Lqr.solve(m(1), m(1), m(1), m(1));
    double phi = (1.0 + Math.sqrt(5.0)) / 2.0;
    assertEquals(phi, s.p()[0][0], 1e-10);
    assertEquals(1.0 / phi, s.k()[0][0], 1e-10);
  }

  @Test
  void solve_scalarSystems_matchClosedForm() {
    double[][] cases = {{1.2, 1.0, 1.0, 1.0}, {0.9, 0.5, 2.0, 0.1}, {-1.5, 2.0, 0.3, 3.0}, {0.0, 1.0, 1.0, 1.0}};
    for (double[] c : cases) {
      double a = c[0];
      double b = c[1];
      double q = c[2];
      double r = c[3];
      double p = scalarP(a, b, q, r);
      double k = a * b * p / (r + b * b * p);
      Lqr.Solution s = Lqr.solve(m(a), m(b), m(q), m(r));
      assertEquals(p, s.p()[0][0], 1e-9 * Math.max(1.0, p), "P for a=" + a);
      assertEquals(k, s.k()[0][0], 1e-9, "K for a=" + a);
    }
  }

  @Test
  void solve_scalarUnstable_a12_handValues() {
    Lqr.Solution s = Lqr.solve(m(1.2), m(1), m(1), m(1));
    assertEquals(1.952234, s.p()[0][0], 1e-6);
    assertEquals(0.793528, s.k()[0][0], 1e-6);
  }

  @Test
  void solve_linearTask_satisfiesRiccatiEquation() {
    double[][] a = LinearTask.stateMatrix();
    double[][] b = LinearTask.inputMatrix();
    double[][] q = LinearTask.stateCost();
    double[][] r = LinearTask.actionCost();
    Lqr.Solution s = Lqr.solve(a, b, q, r);
    double[][] p = s.p();
    double[][] at = SmallMatrix.transpose(a);
    double[][] atpa = SmallMatrix.multiply(SmallMatrix.multiply(at, p), a);
    double[][] atpbk = SmallMatrix.multiply(SmallMatrix.multiply(SmallMatrix.multiply(at, p), b), s.k());
    double[][] rhs = SmallMatrix.add(q, SmallMatrix.subtract(atpa, atpbk));
    assertTrue(SmallMatrix.maxAbsDiff(rhs, p) < 1e-10, "DARE residual");
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(p[i][j], p[j][i], 1e-12, "P symmetric");
      }
      assertTrue(p[i][i] >= 1.0, "P >= Q on the diagonal");
    }
    assertArrayEquals(LinearTask.gain()[0], s.k()[0], 0.0);
    assertArrayEquals(LinearTask.gain()[1], s.k()[1], 0.0);
  }

  @Test
  void closedLoop_linearTask_hasSpectralRadiusBelowOne() {
    double[][] a = LinearTask.stateMatrix();
    double[][] bk = SmallMatrix.multiply(LinearTask.inputMatrix(), LinearTask.gain());
    double[][] closed = SmallMatrix.subtract(a, bk);
    assertTrue(SpectralBound.powerNorm(closed, 10) < 1e-6, "||(A-BK)^1024||_F bounds rho^1024");
    assertTrue(SpectralBound.powerNorm(closed, 10) < SpectralBound.powerNorm(a, 10),
        "closed loop decays faster than open loop");
  }

  @Test
  void closedLoop_basisVectors_decayOver50Steps() {
    double[][] closed = SmallMatrix.subtract(
        LinearTask.stateMatrix(), SmallMatrix.multiply(LinearTask.inputMatrix(), LinearTask.gain()));
    for (int e = 0; e < 4; e++) {
      double[][] x = new double[4][1];
      x[e][0] = 1.0;
      for (int t = 0; t < 50; t++) {
        x = SmallMatrix.multiply(closed, x);
      }
      double norm = 0.0;
      for (double[] xi : x) {
        norm += xi[0] * xi[0];
      }
      assertTrue(Math.sqrt(norm) < 0.05, "basis vector " + e + " after 50 steps: " + Math.sqrt(norm));
    }
  }

  @Test
  void solve_notStabilizable_throwsArithmeticException() {
    ArithmeticException e =
        assertThrows(ArithmeticException.class, () -> Lqr.solve(m(2), m(0), m(1), m(1)));
    assertTrue(e.getMessage().contains("stabilizable"), e.getMessage());
  }

  @Test
  void solve_mismatchedShapes_throwsNamingMatrix() {
    double[][] a = {{1, 0}, {0, 1}};
    double[][] b = {{1}, {0}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Lqr.solve(a, b, m(1), m(1)));
    assertTrue(e.getMessage().startsWith("Q must have 2 rows"), e.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> Lqr.solve(a, b, a, m(Double.NaN)));
    assertTrue(nan.getMessage().contains("R[0][0]"), nan.getMessage());
  }

  @Test
  void solveLinear_threeByThree_matchesHandSolution() {
    double[][] mat = {{0, 2, 1}, {1, 1, 0}, {2, 0, 3}};
    double[][] y = {{7}, {3}, {11}};
    double[][] x = SmallMatrix.solveLinear(mat, y);
    assertEquals(1.0, x[0][0], 1e-12);
    assertEquals(2.0, x[1][0], 1e-12);
    assertEquals(3.0, x[2][0], 1e-12);
    assertThrows(ArithmeticException.class,
        () -> SmallMatrix.solveLinear(new double[][] {{1, 2}, {2, 4}}, new double[][] {{1}, {2}}));
  }

  @Test
  void solution_copiesArrays() {
    Lqr.Solution s = Lqr.solve(m(1), m(1), m(1), m(1));
    s.p()[0][0] = 99.0;
    s.k()[0][0] = 99.0;
    assertEquals(1.0 / ((1.0 + Math.sqrt(5.0)) / 2.0), s.k()[0][0], 1e-10);
    assertEquals(s, Lqr.solve(m(1), m(1), m(1), m(1)));
  }
}
