package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelWarmupTest {
  @Test
  void ensure_runsOncePerJvm_andLaterCallsReturnAtOnce() {
    KernelWarmup.ensure();
    double first = KernelWarmup.seconds();
    assertTrue(first > 0, "the test JVM has the Vector API module, so the warm-up runs");
    long t0 = System.nanoTime();
    KernelWarmup.ensure();
    assertTrue(System.nanoTime() - t0 < 1_000_000, "a second call must not warm up again");
    assertEquals(first, KernelWarmup.seconds());
    assertEquals(first, FusedPolicyStep.kernelWarmupSeconds());
  }

  @Test
  void startInBackground_returnsAtOnce_andTheFirstStepFindsTheWarmupDone() {
    long t0 = System.nanoTime();
    KernelWarmup.startInBackground();
    KernelWarmup.startInBackground();
    assertTrue(System.nanoTime() - t0 < 100_000_000L, "starting must not run the ~0.7 s warm-up on the caller");
    KernelWarmup.ensure();
    assertTrue(KernelWarmup.seconds() > 0, "done once ensure returns");
    double waited = KernelWarmup.waitedSeconds();
    KernelWarmup.ensure();
    assertEquals(waited, KernelWarmup.waitedSeconds(), "a warm JVM does not wait");
    assertEquals(waited, FusedPolicyStep.kernelWarmupWaitSeconds());
  }

  @Test
  void exercise_callsTheKernelsOnRealRows_givingAFiniteLoss() {
    double loss = KernelWarmup.exercise(3);
    // 3 calls x 2 softmax passes x 4 rows of 256 logits: each row's log-loss is positive and finite.
    assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
  }
}
