package dev.quill.task.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.eval.EvalSummary;
import dev.quill.eval.Rollouts;
import dev.quill.task.StepResult;
import dev.quill.task.TaskEpisode;
import org.junit.jupiter.api.Test;

class ScalarTrapTaskTest {
  private final ScalarTrapTask task = new ScalarTrapTask(64, 0);

  @Test
  void step_handComputedDynamicsAndReward() {
    TaskEpisode ep = task.newEpisode(3);
    double x = ep.state()[0];
    StepResult r = ep.step(new double[] {0.5});
    assertEquals(0.2 * x + 0.3 * 0.5, ep.state()[0], 1e-12);
    assertEquals(1 - Math.abs(0.5 - Math.atan(x)), r.reward(), 1e-12);
  }

  @Test
  void expert_earnsTheFullReturnAndContracts() {
    EvalSummary s = EvalSummary.of(Rollouts.expert(task, new long[] {1, 2, 3, 4, 5}));
    assertEquals(64.0, s.meanReturn(), 1e-9);
    TaskEpisode ep = task.newEpisode(9);
    while (!ep.done()) {
      ep.step(ep.expertAction());
    }
    assertTrue(Math.abs(ep.state()[0]) < 1e-12, "state " + ep.state()[0]);
  }

  @Test
  void step_afterHorizon_throws() {
    TaskEpisode ep = new ScalarTrapTask(1, 0).newEpisode(1);
    assertTrue(ep.step(new double[] {0}).done());
    assertThrows(IllegalStateException.class, () -> ep.step(new double[] {0}));
  }

  @Test
  void sameSeed_sameInitialState() {
    assertEquals(task.newEpisode(42).state()[0], task.newEpisode(42).state()[0], 0.0);
  }
}
