package dev.quill.task.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.task.Task;
import dev.quill.task.TaskConfig;
import dev.quill.task.TaskEpisode;
import org.junit.jupiter.api.Test;

/** {@code linear-unstable}: the expert stabilizes, a half-gain perturbed expert has closed-loop gain above 1. */
class LinearUnstableTest {

  private static double[][] closedLoop(double[][] a, double[][] k, double gainFactor) {
    double[][] bk = SmallMatrix.multiply(LinearTask.inputMatrix(), k);
    double[][] m = SmallMatrix.copy(a);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        m[i][j] -= gainFactor * bk[i][j];
      }
    }
    return m;
  }

  /** Determinant by Gaussian elimination with partial pivoting. */
  private static double det(double[][] in) {
    double[][] m = SmallMatrix.copy(in);
    double d = 1;
    for (int c = 0; c < m.length; c++) {
      int p = c;
      for (int r = c + 1; r < m.length; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      if (p != c) {
        double[] t = m[p];
        m[p] = m[c];
        m[c] = t;
        d = -d;
      }
      d *= m[c][c];
      for (int r = c + 1; r < m.length; r++) {
        double f = m[r][c] / m[c][c];
        for (int j = c; j < m.length; j++) {
          m[r][j] -= f * m[c][j];
        }
      }
    }
    return d;
  }

  @Test
  void det_handMatrix_isProductOfPivots() {
    assertEquals(-2.0, det(new double[][] {{0, 1, 0, 0}, {2, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}), 1e-12);
  }

  @Test
  void unstableVariant_expertStable_halfGainExpertHasClosedLoopGainAboveOne() {
    double[][] au = LinearTask.unstableStateMatrix();
    double[][] ku = LinearTask.unstableGain();
    // open loop unstable: |det A_u| = 1.25^4 |det A| > 1 bounds rho(A_u) from below
    assertTrue(Math.abs(det(au)) > 1, "det A_u = " + det(au));
    // expert closed loop stable (Gelfand bound)
    assertTrue(SpectralBound.powerNorm(closedLoop(au, ku, 1.0), 10) < 1e-6);
    // perturbed expert: |det| = prod |lambda_i| <= rho^4, so |det| > 1 proves rho > 1
    double d = Math.abs(det(closedLoop(au, ku, 0.5)));
    assertTrue(d > 1.05, "det(A_u - B K_u / 2) = " + d);
    // the same perturbation on the stable task keeps the loop stable
    assertTrue(SpectralBound.powerNorm(closedLoop(LinearTask.stateMatrix(), LinearTask.gain(), 0.5), 12) < 1e-6);
  }

  @Test
  void unstableVariant_rollouts_expertConvergesPerturbedExpertDiverges() {
    Task unstable = TaskConfig.ofState("linear-unstable", 1, 400, 0).create();
    Task stable = TaskConfig.ofState("linear", 1, 400, 0).create();
    assertEquals("linear-unstable", unstable.name());
    for (long seed = 1; seed <= 5; seed++) {
      double n0 = norm(unstable.newEpisode(seed).state());
      assertTrue(finalNorm(unstable.newEpisode(seed), 1.0) < 1e-6 * n0, "expert, seed " + seed);
      assertTrue(finalNorm(unstable.newEpisode(seed), 0.5) > 100 * n0, "half-gain expert on linear-unstable, seed " + seed);
      assertTrue(finalNorm(stable.newEpisode(seed), 0.5) < 1e-3 * n0, "half-gain expert on linear, seed " + seed);
    }
  }

  private static double finalNorm(TaskEpisode e, double gainFactor) {
    while (!e.done()) {
      double[] u = e.expertAction();
      for (int i = 0; i < u.length; i++) {
        u[i] *= gainFactor;
      }
      e.step(u);
    }
    return norm(e.state());
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
