package dev.quill.task.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.task.StepResult;
import dev.quill.task.Task;
import dev.quill.task.TaskConfig;
import dev.quill.task.TaskEpisode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class LinearTaskTest {
  private static final Task TASK = new LinearTask(LinearTask.DEFAULT_HORIZON, 0.0);

  private record Rollout(List<double[]> states, List<double[]> actions, double ret, StepResult last) {}

  private static Rollout expertRollout(Task task, long seed) {
    TaskEpisode ep = task.newEpisode(seed);
    List<double[]> states = new ArrayList<>();
    List<double[]> actions = new ArrayList<>();
    double ret = 0.0;
    StepResult r;
    do {
      states.add(ep.state());
      double[] u = ep.expertAction();
      actions.add(u);
      r = ep.step(u);
      ret += r.reward();
    } while (!r.done());
    states.add(ep.state());
    return new Rollout(states, actions, ret, r);
  }

  private static double zeroActionReturn(long seed) {
    TaskEpisode ep = TASK.newEpisode(seed);
    double ret = 0.0;
    while (!ep.done()) {
      ret += ep.step(new double[2]).reward();
    }
    return ret;
  }

  @Test
  void stateMatrix_isStable() {
    assertTrue(SpectralBound.powerNorm(LinearTask.stateMatrix(), 12) < 1.0,
        "||A^4096||_F < 1 proves rho(A) < 1");
  }

  @Test
  void describes_namesAndDimensions() {
    assertEquals("linear", TASK.name());
    assertEquals(4, TASK.stateDim());
    assertEquals(2, TASK.actionDim());
    assertEquals(50, TASK.horizon());
    assertArrayEquals(new String[] {"x0", "x1", "x2", "x3"}, TASK.stateNames());
    assertArrayEquals(new String[] {"u0", "u1"}, TASK.actionNames());
    assertTrue(TASK.hasSuccess());
    Task fromConfig = TaskConfig.ofState("linear", 1, 0, 0.1).create();
    assertEquals(LinearTask.DEFAULT_HORIZON, fromConfig.horizon());
  }

  @Test
  void step_appliesDynamicsAndQuadraticCost() {
    TaskEpisode ep = TASK.newEpisode(7);
    double[] x = ep.state();
    StepResult r = ep.step(new double[] {1.0, -2.0});
    double[] expected = {
      x[0] + 0.1 * x[1],
      -0.1 * x[0] + 0.95 * x[1] + 0.05 * x[2] + 0.1,
      x[2] + 0.1 * x[3],
      0.05 * x[1] - 0.1 * x[2] + 0.95 * x[3] - 0.2,
    };
    assertArrayEquals(expected, ep.state(), 1e-12);
    double xx = x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[3] * x[3];
    assertEquals(-(xx + 0.1 * 5.0), r.reward(), 1e-12);
    assertFalse(r.done());
    assertEquals("", r.event());
    assertEquals(1, ep.steps());
  }

  @Test
  void step_clipsActionsTo20() {
    TaskEpisode clipped = TASK.newEpisode(3);
    TaskEpisode limit = TASK.newEpisode(3);
    StepResult a = clipped.step(new double[] {100.0, -1e9});
    StepResult b = limit.step(new double[] {20.0, -20.0});
    assertArrayEquals(limit.state(), clipped.state(), 0.0);
    assertEquals(b.reward(), a.reward(), 0.0);
  }

  @Test
  void expertAction_isMinusKx() {
    TaskEpisode ep = TASK.newEpisode(11);
    double[] x = ep.state();
    double[][] k = LinearTask.gain();
    double[] u = ep.expertAction();
    for (int i = 0; i < 2; i++) {
      double s = 0.0;
      for (int j = 0; j < 4; j++) {
        s -= k[i][j] * x[j];
      }
      assertEquals(s, u[i], 1e-12);
    }
    assertArrayEquals(u, ep.expertAction(), 0.0);
  }

  @Test
  void expertRollout_sameSeed_isIdentical() {
    Task noisy = new LinearTask(LinearTask.DEFAULT_HORIZON, 0.3);
    Rollout a = expertRollout(noisy, 42);
    Rollout b = expertRollout(noisy, 42);
    assertEquals(51, a.states().size());
    for (int t = 0; t < a.states().size(); t++) {
      assertArrayEquals(a.states().get(t), b.states().get(t), 0.0, "state " + t);
    }
    for (int t = 0; t < a.actions().size(); t++) {
      assertArrayEquals(a.actions().get(t), b.actions().get(t), 0.0, "action " + t);
    }
    Rollout noiseless = expertRollout(TASK, 42);
    assertArrayEquals(noiseless.states().get(0), a.states().get(0), 0.0);
    assertFalse(noiseless.actions().get(0)[0] == a.actions().get(0)[0], "noise changes the action");
  }

  @Test
  void newEpisode_differentSeeds_differentInitialState() {
    assertFalse(java.util.Arrays.equals(TASK.newEpisode(1).state(), TASK.newEpisode(2).state()));
  }

  @Test
  void expert_beatsZeroActionOver50Seeds() {
    double expert = 0.0;
    double zero = 0.0;
    for (long seed = 0; seed < 50; seed++) {
      expert += expertRollout(TASK, seed).ret();
      zero += zeroActionReturn(seed);
    }
    System.out.printf(Locale.ROOT, "linear: mean return expert %.4f, zero action %.4f (50 seeds)%n",
        expert / 50, zero / 50);
    assertTrue(expert / 50 > zero / 50, "expert " + expert / 50 + " vs zero " + zero / 50);
  }

  @Test
  void expert_succeedsOnAtLeast95PercentOf100Seeds() {
    int successes = 0;
    double ret = 0.0;
    for (long seed = 0; seed < 100; seed++) {
      Rollout r = expertRollout(TASK, seed);
      ret += r.ret();
      assertTrue(r.last().done());
      assertEquals(r.last().success() ? "success" : "horizon", r.last().event());
      if (r.last().success()) {
        successes++;
      }
    }
    System.out.printf(Locale.ROOT, "linear: expert success rate %.2f, mean return %.4f (100 seeds)%n",
        successes / 100.0, ret / 100);
    assertTrue(successes >= 95, "successes " + successes);
  }

  @Test
  void zeroAction_endsAtHorizonWithoutSuccess() {
    TaskEpisode ep = new LinearTask(3, 0.0).newEpisode(5);
    ep.step(new double[2]);
    ep.step(new double[2]);
    StepResult last = ep.step(new double[2]);
    assertTrue(last.done());
    assertTrue(ep.done());
    assertEquals(3, ep.steps());
    assertEquals(Math.sqrt(dot(ep.state())) <= 0.25, last.success());
    assertEquals(last.success() ? "success" : "horizon", last.event());
  }

  @Test
  void step_afterDone_throws() {
    TaskEpisode ep = new LinearTask(1, 0.0).newEpisode(0);
    assertTrue(ep.step(new double[2]).done());
    assertThrows(IllegalStateException.class, () -> ep.step(new double[2]));
  }

  @Test
  void step_wrongLength_throwsNamingLength() {
    TaskEpisode ep = TASK.newEpisode(0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ep.step(new double[3]));
    assertEquals("action must have length 2, got length 3", e.getMessage());
  }

  @Test
  void step_nan_throwsNamingIndex() {
    TaskEpisode ep = TASK.newEpisode(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ep.step(new double[] {0.0, Double.NaN}));
    assertEquals("action[1] must be finite, got NaN", e.getMessage());
    assertEquals(0, ep.steps());
  }

  @Test
  void constructor_rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new LinearTask(0, 0.0));
    assertThrows(IllegalArgumentException.class, () -> new LinearTask(10, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new LinearTask(10, Double.NaN));
  }

  private static double dot(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return s;
  }
}
