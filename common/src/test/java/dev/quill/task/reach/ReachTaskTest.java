package dev.quill.task.reach;

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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ReachTaskTest {
  private static final Task TASK = new ReachTask(ReachTask.DEFAULT_HORIZON, 0.0);
  private static final int EE = 4;
  private static final int OBJ = 6;
  private static final int GOAL = 8;
  private static final int CLOSED = 16;
  private static final int HOLDING = 17;

  private record Rollout(List<double[]> states, List<double[]> actions, StepResult last, int steps) {}

  private static Rollout expertRollout(Task task, long seed) {
    TaskEpisode ep = task.newEpisode(seed);
    List<double[]> states = new ArrayList<>();
    List<double[]> actions = new ArrayList<>();
    StepResult r;
    do {
      states.add(ep.state());
      double[] a = ep.expertAction();
      actions.add(a);
      r = ep.step(a);
    } while (!r.done());
    states.add(ep.state());
    return new Rollout(states, actions, r, ep.steps());
  }

  private static TaskEpisode holdingEpisode(long seed) {
    TaskEpisode ep = TASK.newEpisode(seed);
    while (ep.state()[HOLDING] == 0.0) {
      assertFalse(ep.step(ep.expertAction()).done(), "expert grasps before the episode ends");
    }
    return ep;
  }

  private static double dist(double[] s, int i, int j) {
    return Math.hypot(s[i] - s[j], s[i + 1] - s[j + 1]);
  }

  private static double successRate(double noise, int seeds, String label) {
    Task task = new ReachTask(ReachTask.DEFAULT_HORIZON, noise);
    int successes = 0;
    long steps = 0;
    for (long seed = 0; seed < seeds; seed++) {
      Rollout r = expertRollout(task, seed);
      steps += r.steps();
      if (r.last().success()) {
        successes++;
      }
    }
    double rate = successes / (double) seeds;
    System.out.printf(Locale.ROOT, "reach %s: expert success rate %.3f, mean episode length %.2f (%d seeds)%n",
        label, rate, steps / (double) seeds, seeds);
    return rate;
  }

  @Test
  void describes_namesAndDimensions() {
    assertEquals("reach", TASK.name());
    assertEquals(18, TASK.stateDim());
    assertEquals(3, TASK.actionDim());
    assertEquals(100, TASK.horizon());
    assertEquals("sin_q1", TASK.stateNames()[0]);
    assertEquals("holding", TASK.stateNames()[17]);
    assertArrayEquals(new String[] {"dx", "dy", "grip"}, TASK.actionNames());
    assertTrue(TASK.hasSuccess());
    assertEquals(ReachTask.DEFAULT_HORIZON, TaskConfig.ofState("reach", 1, 0, 0.0).create().horizon());
  }

  @Test
  void reset_stateIsConsistentAndInRange() {
    for (long seed = 0; seed < 500; seed++) {
      double[] s = TASK.newEpisode(seed).state();
      double q1 = Math.atan2(s[0], s[1]);
      double q2 = Math.atan2(s[2], s[3]);
      assertTrue(q2 >= 0.3 - 1e-12 && q2 <= 2.5 + 1e-12, "q2 " + q2);
      assertArrayEquals(ArmKinematics.forward(q1, q2), Arrays.copyOfRange(s, EE, EE + 2), 1e-12);
      for (int p : new int[] {OBJ, GOAL}) {
        double r = Math.hypot(s[p], s[p + 1]);
        assertTrue(r >= 0.35 && r <= 0.85 && s[p + 1] >= 0.0, "radius " + r);
      }
      assertTrue(dist(s, OBJ, GOAL) >= 0.25);
      assertEquals(s[OBJ] - s[EE], s[10], 0.0);
      assertEquals(s[OBJ + 1] - s[EE + 1], s[11], 0.0);
      assertEquals(s[GOAL] - s[EE], s[12], 0.0);
      assertEquals(s[GOAL + 1] - s[EE + 1], s[13], 0.0);
      assertEquals(0.0, s[CLOSED]);
      assertEquals(0.0, s[HOLDING]);
    }
  }

  @Test
  void step_zeroMotion_rewardIsMinusHundredthOfObjectDistance() {
    TaskEpisode ep = TASK.newEpisode(4);
    double[] s = ep.state();
    StepResult r = ep.step(new double[] {0.0, 0.0, -1.0});
    assertArrayEquals(s, ep.state(), 1e-12);
    assertEquals(-0.01 * dist(s, EE, OBJ), r.reward(), 1e-12);
    assertFalse(r.done());
  }

  @Test
  void step_clipsEndEffectorMotionTo5cmPerAxis() {
    TaskEpisode ep = TASK.newEpisode(9);
    double[] s = ep.state();
    ep.step(new double[] {5.0, -5.0, -1.0});
    double[] t = ep.state();
    // the resolved-rate controller follows the clipped displacement to first order
    assertEquals(0.05, t[EE] - s[EE], 0.01);
    assertEquals(-0.05, t[EE + 1] - s[EE + 1], 0.01);
  }

  @Test
  void state_distances_areNormsOfDeltas() {
    double[] s = TASK.newEpisode(12).state();
    assertEquals(Math.hypot(s[10], s[11]), s[14], 1e-12);
    assertEquals(Math.hypot(s[12], s[13]), s[15], 1e-12);
  }

  @Test
  void expert_noiseFree_succeedsOnAtLeast98PercentOf200Seeds() {
    assertTrue(successRate(0.0, 200, "noise 0") >= 0.98);
  }

  @Test
  void expert_noise001_succeedsOnAtLeast80PercentOf200Seeds() {
    assertTrue(successRate(0.01, 200, "noise 0.01") >= 0.8);
  }

  @Test
  void expertRollout_endsWithSuccessBonus() {
    Rollout r = expertRollout(TASK, 1);
    assertTrue(r.last().success());
    assertEquals("success", r.last().event());
    assertTrue(r.last().reward() > 0.99 && r.last().reward() <= 1.0, "reward " + r.last().reward());
    double[] end = r.states().get(r.states().size() - 1);
    assertTrue(dist(end, OBJ, GOAL) <= ReachTask.GOAL_TOLERANCE);
    assertEquals(1.0, end[HOLDING]);
  }

  @Test
  void expertRollout_sameSeed_isIdentical() {
    Task noisy = new ReachTask(ReachTask.DEFAULT_HORIZON, 0.05);
    Rollout a = expertRollout(noisy, 77);
    Rollout b = expertRollout(noisy, 77);
    assertEquals(a.steps(), b.steps());
    for (int t = 0; t < a.states().size(); t++) {
      assertArrayEquals(a.states().get(t), b.states().get(t), 0.0, "state " + t);
    }
    for (int t = 0; t < a.actions().size(); t++) {
      assertArrayEquals(a.actions().get(t), b.actions().get(t), 0.0, "action " + t);
    }
    assertEquals(a.last(), b.last());
  }

  @Test
  void newEpisode_differentSeeds_differentInitialState() {
    assertFalse(Arrays.equals(TASK.newEpisode(1).state(), TASK.newEpisode(2).state()));
  }

  @Test
  void closeGripper_atResetFarFromObject_failsWithMissedGrasp() {
    TaskEpisode ep = TASK.newEpisode(0);
    assertTrue(dist(ep.state(), EE, OBJ) > ReachTask.GRASP_TOLERANCE, "seed 0 starts away from the object");
    StepResult r = ep.step(new double[] {0.0, 0.0, 1.0});
    assertTrue(r.done());
    assertFalse(r.success());
    assertEquals("missed_grasp", r.event());
    assertEquals(1.0, ep.state()[CLOSED]);
    assertEquals(0.0, ep.state()[HOLDING]);
  }

  @Test
  void afterGrasp_objectMovesWithEndEffector() {
    TaskEpisode ep = holdingEpisode(3);
    double[] s = ep.state();
    assertTrue(dist(s, EE, OBJ) <= ReachTask.GRASP_TOLERANCE);
    assertEquals(1.0, s[CLOSED]);
    ep.step(new double[] {0.1, -0.1, 1.0});
    ep.step(new double[] {0.1, -0.1, 1.0});
    double[] t = ep.state();
    assertTrue(Math.hypot(t[EE] - s[EE], t[EE + 1] - s[EE + 1]) > 0.01, "ee moved");
    assertEquals(s[10], t[10], 1e-12);
    assertEquals(s[11], t[11], 1e-12);
    assertEquals(t[EE] + t[10], t[OBJ], 1e-12);
  }

  @Test
  void openGripper_whileHolding_failsWithDropped() {
    TaskEpisode ep = holdingEpisode(5);
    StepResult r = ep.step(new double[] {0.0, 0.0, -0.5});
    assertTrue(r.done());
    assertFalse(r.success());
    assertEquals("dropped", r.event());
    assertEquals(0.0, ep.state()[HOLDING]);
  }

  @Test
  void zeroAction_endsAtHorizon() {
    TaskEpisode ep = new ReachTask(5, 0.0).newEpisode(2);
    StepResult r = null;
    for (int i = 0; i < 5; i++) {
      r = ep.step(new double[] {0.0, 0.0, -1.0});
    }
    assertTrue(r.done());
    assertFalse(r.success());
    assertEquals("horizon", r.event());
  }

  @Test
  void step_afterDone_throws() {
    TaskEpisode ep = TASK.newEpisode(0);
    ep.step(new double[] {0.0, 0.0, 1.0});
    assertTrue(ep.done());
    assertThrows(IllegalStateException.class, () -> ep.step(new double[] {0.0, 0.0, -1.0}));
  }

  @Test
  void step_wrongLength_throwsNamingLength() {
    TaskEpisode ep = TASK.newEpisode(0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ep.step(new double[2]));
    assertEquals("action must have length 3, got length 2", e.getMessage());
  }

  @Test
  void step_nan_throwsNamingIndex() {
    TaskEpisode ep = TASK.newEpisode(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ep.step(new double[] {0.0, 0.0, Double.NaN}));
    assertEquals("action[2] must be finite, got NaN", e.getMessage());
    assertEquals(0, ep.steps());
  }

  @Test
  void constructor_rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new ReachTask(0, 0.0));
    assertThrows(IllegalArgumentException.class, () -> new ReachTask(10, -1.0));
    assertThrows(IllegalArgumentException.class, () -> new ReachTask(10, Double.POSITIVE_INFINITY));
  }
}
