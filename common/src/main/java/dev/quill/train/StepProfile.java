package dev.quill.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of the training thread per phase of {@link FusedPolicyStep} (data, forward per layer, loss,
 * backward per layer, updater), summed over steps. CPU time rather than wall time, so that other
 * processes on a shared machine disturb the breakdown less; with one native thread it covers all of a
 * step's work. Costs about a microsecond per phase. Not thread-safe.
 */
public final class StepProfile {
  private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
  private final List<String> names = new ArrayList<>();
  private final long[] nanos;
  private long mark;

  StepProfile(int numLayers) {
    names.add("data (gather, labels)");
    for (int i = 0; i < numLayers; i++) {
      names.add("forward layer " + i + (i == numLayers - 1 ? " (output GEMM, bias)" : " (GEMM, bias, ReLU)"));
    }
    names.add("loss (softmax, log-loss, p - onehot)");
    for (int i = numLayers - 1; i >= 0; i--) {
      names.add("backward layer " + i + (i > 0 ? " (dW, db, dX, ReLU')" : " (dW, db)"));
    }
    names.add("updater (Adam, params -= update)");
    nanos = new long[names.size()];
  }

  /** Phase names, in step order. */
  public List<String> names() {
    return List.copyOf(names);
  }

  /** CPU seconds per phase, in the order of {@link #names}. */
  public double[] cpuSeconds() {
    double[] s = new double[nanos.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = nanos[i] / 1e9;
    }
    return s;
  }

  /** Ends phase {@code index} now (a negative index only sets the start mark). */
  void phase(int index) {
    long now = cpu.getCurrentThreadCpuTime();
    if (index >= 0) {
      nanos[index] += now - mark;
    }
    mark = now;
  }
}
