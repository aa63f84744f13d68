package dev.quill.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.eval.EpisodeOutcome;
import dev.quill.eval.Rollouts;
import dev.quill.nn.qat.Quantization;
import dev.quill.policy.Policy;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.PolicyRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Closed loop on {@code reach}: the runtime (fp32, int8, int4) succeeds as often as the DL4J network it was
 * exported from (fp32, or the PTQ network with the same grid) on the same 100 seeds. Trains a small policy
 * in this JVM (about a minute).
 */
class RuntimeClosedLoopIT {
  private static final int EPISODES = 100;

  @Test
  void rollouts_runtimeVsDl4j_sameSuccessWithinNoise() {
    ExportFixtures.Demos demos = ExportFixtures.reachDemos(250, 1);
    Policy policy = ExportFixtures.train(demos, 64, List.of(128, 128), 12);
    long[] seeds = new long[EPISODES];
    for (int i = 0; i < EPISODES; i++) {
      seeds[i] = 900_000 + i;
    }
    double fp = success(Rollouts.policy(demos.task(), policy, seeds));
    assertTrue(fp >= 0.3, "the DL4J policy itself must succeed sometimes for the comparison to mean anything: " + fp);
    String[] formats = {"fp32", "int8", "int4"};
    for (String w : formats) {
      PolicyModel m = PolicyExporter.export(policy, new ExportOptions(w, true));
      Policy reference = "fp32".equals(w) ? policy : new Policy(
          Quantization.postTraining(policy.network(), "int8".equals(w) ? 8 : 4, true), policy.tokenizer(), policy.stats(), policy.info());
      double dl4j = "fp32".equals(w) ? fp : success(Rollouts.policy(demos.task(), reference, seeds));
      PolicyRunner r = m.newRunner();
      double runtime = success(Rollouts.batched(demos.task(), seeds, states -> {
        double[][] actions = new double[states.length][];
        for (int i = 0; i < states.length; i++) {
          actions[i] = r.act(states[i]);
        }
        return actions;
      }));
      System.out.printf("reach closed loop, %d seeds: DL4J %s %.2f, runtime %s %.2f%n", EPISODES, w, dl4j, w, runtime);
      // one run of 100 episodes has a standard error of ~0.05 at these rates; identical tokens give identical rollouts
      assertTrue(Math.abs(runtime - dl4j) <= 0.05, w + ": runtime " + runtime + " vs DL4J " + dl4j);
    }
  }

  private static double success(List<EpisodeOutcome> outcomes) {
    return outcomes.stream().filter(EpisodeOutcome::success).count() / (double) outcomes.size();
  }
}
