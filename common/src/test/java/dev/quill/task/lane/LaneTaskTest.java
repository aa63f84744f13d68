package dev.quill.task.lane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.eval.EpisodeOutcome;
import dev.quill.eval.Rollouts;
import dev.quill.task.StepResult;
import dev.quill.task.Task;
import dev.quill.task.TaskConfig;
import dev.quill.task.TaskEpisode;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LaneTaskTest {
  private static final Task TASK = new LaneTask(LaneTask.DEFAULT_HORIZON, 0.0);

  private static long[] seeds(int n) {
    return LongStream.range(0, n).toArray();
  }

  private static double successRate(double noise, int n) {
    List<EpisodeOutcome> out = Rollouts.expert(new LaneTask(LaneTask.DEFAULT_HORIZON, noise), seeds(n));
    long ok = out.stream().filter(EpisodeOutcome::success).count();
    double steps = out.stream().mapToInt(EpisodeOutcome::steps).average().orElse(0);
    System.out.printf(Locale.ROOT, "lane noise %.3f: expert success %.3f, mean length %.1f, events %s%n", noise,
        ok / (double) n, steps, out.stream().filter(o -> !o.success()).map(EpisodeOutcome::event).toList());
    return ok / (double) n;
  }

  @Test
  void describes_namesAndDimensions() {
    assertEquals("lane", TASK.name());
    assertEquals(7, TASK.stateDim());
    assertEquals(2, TASK.actionDim());
    assertEquals(130, TASK.horizon());
    assertArrayEquals(new String[] {"steer", "accel"}, TASK.actionNames());
    assertEquals("gap_2", TASK.stateNames()[6]);
    assertEquals(130, TaskConfig.ofState("lane", 1, 0, 0.0).create().horizon());
  }

  @Test
  void bicycle_straightAndTurning_matchHandComputedStep() {
    double[] straight = Bicycle.step(new double[] {1, 2, 0, 10}, 0, 1, 1.35, 1.35, 0.1, 20);
    assertArrayEquals(new double[] {2.0, 2.0, 0.0, 10.1}, straight, 1e-12);
    // delta = 0.2, lf = lr: beta = atan(0.5 tan 0.2) = 0.10066; x += 10 cos(beta) 0.1, psi += 10/1.35 sin(beta) 0.1
    double[] turn = Bicycle.step(new double[] {0, 0, 0, 10}, 0.2, -200, 1.35, 1.35, 0.1, 20);
    double beta = Math.atan(0.5 * Math.tan(0.2));
    assertEquals(0.101010, beta, 1e-6);
    assertArrayEquals(new double[] {0.994903, 0.100838, 0.074695, 0.0}, turn, 1e-6);
  }

  @Test
  void state_gapsAreBumperToBumperPerLaneAndClipped() {
    LaneEpisode ep = new LaneEpisode(10, new double[] {10, 0.5, 0.01, 12},
        List.of(new Obstacle(1, 40, 0), new Obstacle(1, 30, 0), new Obstacle(0, 8, 0), new Obstacle(2, 5, 0)));
    // lane 1: nearest 30 -> 30 - 10 - 4.5 = 15.5; lane 0: 8 - 10 - 4.5 = -6.5 -> alongside? no: -6.5 <= -4.5, passed
    // lane 2: 5 - 14.5 = -9.5, passed -> free
    assertArrayEquals(new double[] {0.5, 0.5, 0.01, 12, 60, 15.5, 60}, ep.state(), 1e-12);
    assertEquals(0, LaneExpert.targetLane(ep.state()), "gap 15.5 < 18: both neighbours free, tie -> lower index");
  }

  @Test
  void expert_keepsLaneWhenGapIsLargeAndChangesToFreerNeighbour() {
    assertEquals(1, LaneExpert.targetLane(new double[] {0, 0, 0, 12, 60, 18.0, 60}));
    assertEquals(2, LaneExpert.targetLane(new double[] {0, 0, 0, 12, 3, 17.9, 60}));
    assertEquals(1, LaneExpert.targetLane(new double[] {0, 0, 0, 12, 3, 17.9, 10}), "neighbours worse: stay");
    assertEquals(1, LaneExpert.targetLane(new double[] {-4, 0, 0, 12, 10, 60, 60}), "lane 0 -> only neighbour 1");
    assertEquals(0, LaneExpert.targetLane(new double[] {0, 0, 0, 12, 40, 10, 60}), "40 and 60 are both free: lower");
    assertEquals(2, LaneExpert.targetLane(new double[] {0, 0, 0, 12, 30, 10, 60}), "30 is not free");
    // on the target lane's centre, straight, at cruise speed: no steering, no acceleration
    assertArrayEquals(new double[] {0, 0}, LaneExpert.action(new double[] {4, 0, 0, 12, 60, 60, 60}), 1e-12);
    // pure pursuit toward y = -4 from y = 0 at v = 12: ld = 10.8, alpha = atan2(-4, 10.8), steer = atan(5.4 sin / 10.8)
    double alpha = Math.atan2(-4, 10.8);
    double[] a = LaneExpert.action(new double[] {0, 0, 0, 10, 60, 5, 60});
    assertEquals(Math.atan(5.4 * Math.sin(Math.atan2(-4, 9.0)) / 9.0), a[0], 1e-12);
    assertEquals(2.0, a[1], 1e-12, "accel 12 - 10 clipped to 2");
    assertTrue(alpha < 0);
  }

  @Test
  void step_collisionAndOffRoadEndTheEpisodeWithPenalty() {
    LaneEpisode crash = new LaneEpisode(100, new double[] {0, 0, 0, 10}, List.of(new Obstacle(1, 5.4, 0)));
    StepResult r = crash.step(new double[] {0, 0});
    assertEquals("collision", r.event());
    assertTrue(r.done() && !r.success());
    assertEquals(1.0 / 110 - 1.0, r.reward(), 1e-12);
    LaneEpisode edge = new LaneEpisode(100, new double[] {0, 4.95, 0.1, 10}, List.of());
    StepResult off = edge.step(new double[] {0, 0});
    assertEquals("off_road", off.event());
    assertThrows(IllegalStateException.class, () -> edge.step(new double[] {0, 0}));
    assertThrows(IllegalArgumentException.class, () -> TASK.newEpisode(1).step(new double[] {0, Double.NaN}));
  }

  @Test
  void step_reachingGoalIsSuccessWithBonus() {
    LaneEpisode ep = new LaneEpisode(100, new double[] {109.5, 0, 0, 10}, List.of());
    StepResult r = ep.step(new double[] {0, 0});
    assertTrue(r.success() && r.done());
    assertEquals("success", r.event());
    assertEquals(1.0 / 110 + 1.0, r.reward(), 1e-12);
  }

  @Test
  void newEpisode_sameSeed_sameTrajectory() {
    Task noisy = new LaneTask(LaneTask.DEFAULT_HORIZON, 0.02);
    TaskEpisode a = noisy.newEpisode(42);
    TaskEpisode b = noisy.newEpisode(42);
    while (!a.done()) {
      assertArrayEquals(a.state(), b.state(), 0.0);
      double[] act = a.expertAction();
      assertArrayEquals(act, b.expertAction(), 0.0);
      assertEquals(a.step(act), b.step(act));
    }
    assertTrue(b.done());
    assertFalse(java.util.Arrays.equals(noisy.newEpisode(1).state(), noisy.newEpisode(2).state()));
  }

  @Test
  void expert_succeedsOnAlmostEverySeed() {
    assertTrue(successRate(0.0, 2000) >= 0.995);
    assertTrue(successRate(0.02, 2000) >= 0.99);
  }

  @Test
  void lateLaneChange_collides() {
    // Critical moment: the expert's policy but with the lane change delayed by 1 s collides on most seeds.
    int crashes = 0;
    int changes = 0;
    for (long seed = 0; seed < 200; seed++) {
      TaskEpisode ep = TASK.newEpisode(seed);
      int delay = 0;
      StepResult r = null;
      while (!ep.done()) {
        double[] s = ep.state();
        double[] keep = s.clone();
        int current = LaneTask.nearestLane(s[0]);
        if (LaneExpert.targetLane(s) != current && delay < 10) {
          delay++;
          keep[4 + current] = LaneTask.MAX_GAP;
        }
        r = ep.step(LaneExpert.action(keep));
      }
      changes += delay > 0 ? 1 : 0;
      crashes += r.event().equals("collision") ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "lane: 1 s late lane change: %d collisions of %d seeds%n", crashes, changes);
    assertTrue(crashes >= 0.7 * changes && changes >= 150, crashes + " of " + changes);
  }
}
