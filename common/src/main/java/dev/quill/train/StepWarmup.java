package dev.quill.train;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Gets a policy's whole fused training step compiled by the JIT before training starts, by running a few steps of
 * random examples on a scratch network of the same configuration. {@link KernelWarmup} compiles the Vector API kernels
 * on small rows; the rest of the step (label indices, ReLU passes, GEMM calls, Adam over the real parameter count, the
 * loss's bookkeeping) is then still compiled inside the first epoch, while every core trains. On the 2-vCPU reference
 * host two Spark workers ran their first epoch 13–15 % slower than their later ones for that reason (README,
 * Performance, eleventh round). Callers start it where it overlaps with other work: executors while they encode their
 * partitions, a process while it loads its examples.
 *
 * <p>Only the scratch network changes: the caller's network, and so the training's results, are untouched. MLP policies
 * only ({@link FusedPolicyStep}); other networks are skipped. {@code -Dquill.stepWarmup=0} turns it off; a positive value
 * sets the number of steps.
 */
public final class StepWarmup {
  /** Steps run by default: enough for the optimizing compiler's thresholds on every loop of the step. */
  public static final int DEFAULT_STEPS = 48;

  /** Configurations (as JSON) whose warm-up this JVM has started. */
  private static final java.util.Set<String> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private StepWarmup() {}

  /**
   * Starts {@link #run} with {@link #configuredSteps} on a daemon thread, unless this JVM has started it for this
   * configuration before (compiled code is shared by every network of the JVM), and returns at once.
   *
   * @param confJson the network's configuration, {@code MultiLayerConfiguration.toJson()}
   * @param rows rows per step: the rows each lane computes ({@code ceil(batch / lanes)})
   */
  public static void startInBackground(String confJson, int rows) {
    int steps = configuredSteps();
    if (steps <= 0 || !STARTED.add(confJson)) {
      return;
    }
    Thread t = new Thread(() -> run(MultiLayerConfiguration.fromJson(confJson), rows, steps), "quill-step-warmup");
    t.setDaemon(true);
    t.start();
  }

  /** Steps to run: {@code quill.stepWarmup}, or {@link #DEFAULT_STEPS}. */
  public static int configuredSteps() {
    return Integer.getInteger("quill.stepWarmup", DEFAULT_STEPS);
  }

  /**
   * Runs {@code steps} one-lane fused steps of {@code batch} random examples on a new network built from {@code conf},
   * on the calling thread, and returns the seconds it took (0 when skipped: {@code steps <= 0}, or a network no
   * {@link FusedPolicyStep} trains).
   *
   * @throws IllegalArgumentException if {@code batch < 1}
   */
  public static double run(MultiLayerConfiguration conf, int batch, int steps) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (steps <= 0) {
      return 0;
    }
    long t0 = System.nanoTime();
    MultiLayerNetwork scratch = new MultiLayerNetwork(conf.clone());
    scratch.init();
    if (FusedPolicyStep.unsupportedReason(scratch).isPresent()) {
      return 0;
    }
    FusedPolicyStep step = new FusedPolicyStep(scratch, 1);
    int[] shape = StudentSupport.headsBinsWidth(scratch);
    int heads = shape[0];
    int bins = shape[1];
    int width = shape[2];
    int stateDim = Math.toIntExact(scratch.layerInputSize(0));
    ExampleBlock block = randomBlock(batch, stateDim, heads, bins, width, new SplittableRandom(17));
    int[] order = block.order(null);
    for (int s = 0; s < steps; s++) {
      step.fit(block, order, 0, batch);
    }
    step.flush();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** {@code size} examples of Gaussian states and uniform tokens; for a distilled label row, zero teacher logits and alpha. */
  static ExampleBlock randomBlock(int size, int stateDim, int heads, int bins, int width, SplittableRandom rng) {
    ExampleBlock block = ExampleBlock.allocate(size, stateDim, width);
    float[] states = block.states();
    for (int i = 0; i < states.length; i++) {
      states[i] = (float) rng.nextGaussian();
    }
    float[] tokens = block.tokens();
    for (int k = 0; k < size; k++) {
      for (int h = 0; h < heads; h++) {
        tokens[k * width + h] = rng.nextInt(bins);
      }
    }
    return block;
  }
}
