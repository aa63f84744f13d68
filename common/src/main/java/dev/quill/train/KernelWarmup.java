package dev.quill.train;

import java.util.SplittableRandom;

/**
 * Gets the fused step's Java Vector API kernels ({@link VectorSoftmax}, {@link VectorRelu}, {@link VectorAdam}) compiled
 * before the first minibatch uses them, once per JVM. Until the JIT's optimizing compiler has compiled them, Vector API code
 * runs as boxed Java fallbacks, orders of magnitude slower; in a training run that compilation happens while
 * every core is busy with the lanes (or Spark workers) running that slow code, so on the 2-vCPU reference machine
 * the first epoch ran at 50k ex/s against 73k for the second. Calling the kernels on a few small rows first, on
 * one thread while the compiler has the other core, takes about 0.7 s there and brings the first epoch to 65–74k
 * ex/s, a net gain of about 0.7 s (README, Performance). It runs inside the first training step, so it is part of
 * every measured training time, unless a job started it earlier with {@link #startInBackground} (then the first step
 * waits only for what is left of it). Thread-safe: concurrent first callers wait for the one warm-up.
 * {@code -Dquill.kernelWarmup=false} turns it off.
 */
public final class KernelWarmup {
  /** Calls of each kernel; the compiler's thresholds are reached well before (their loops count too). */
  static final int CALLS = 1500;
  private static volatile boolean done = !SoftmaxLoss.vectorized(256)
      || "false".equals(System.getProperty("quill.kernelWarmup"));
  private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();
  private static double seconds;
  private static volatile double waitedSeconds;

  private KernelWarmup() {}

  /**
   * Starts the warm-up on a daemon thread, unless this JVM has run or started it, so that it overlaps with the work
   * before training (Spark executors encoding their partitions, a process loading its examples). Returns at once.
   */
  public static void startInBackground() {
    if (!done && STARTED.compareAndSet(false, true)) {
      Thread t = new Thread(KernelWarmup::runOnce, "quill-kernel-warmup");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Runs the warm-up if this JVM has not yet, or waits for the one running; returns at once afterwards. */
  static void ensure() {
    if (!done) {
      long t0 = System.nanoTime();
      runOnce();
      addWait((System.nanoTime() - t0) / 1e9);
    }
  }

  private static synchronized void addWait(double s) {
    waitedSeconds += s;
  }

  /** Seconds the warm-up took in this JVM (0 if it did not run). */
  static double seconds() {
    return seconds;
  }

  /** Seconds training steps spent in {@link #ensure}: running the warm-up, or waiting for the one in the background. */
  static double waitedSeconds() {
    return waitedSeconds;
  }

  private static synchronized void runOnce() {
    if (done) {
      return;
    }
    long t0 = System.nanoTime();
    exercise(CALLS);
    seconds = (System.nanoTime() - t0) / 1e9;
    done = true;
  }

  /** A direct buffer of {@code n} floats in native order, filled with small Gaussian values. */
  private static java.nio.ByteBuffer direct(int n, SplittableRandom rng) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(n * Float.BYTES).order(java.nio.ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      b.putFloat(i * Float.BYTES, (float) (0.01 * rng.nextGaussian()));
    }
    return b;
  }

  /** Calls every kernel {@code calls} times on 4 rows of 256 floats, with and without the folded bias. */
  static double exercise(int calls) {
    int rows = 4;
    int width = 256;
    float[] z = new float[rows * width];
    float[] delta = new float[rows * width];
    float[] act = new float[rows * width];
    float[] bias = new float[2 * width];
    float[] biasGrad = new float[2 * width];
    int[] labels = {3, width + 5, 2 * width + 7, 3 * width + 9};
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) rng.nextGaussian();
      act[i] = (float) rng.nextGaussian();
    }
    // Adam over 1,027 parameters (vector loop and scalar tail), with one gradient and with two lanes' gradients.
    int n = 1027;
    java.nio.ByteBuffer params = direct(n, rng);
    java.nio.ByteBuffer[] oneLane = {direct(n, rng)};
    java.nio.ByteBuffer[] twoLanes = {oneLane[0], direct(n, rng)};
    float[] m = new float[n];
    float[] v = new float[n];
    FlatAdam.Coefficients adam = new FlatAdam.Coefficients(0.9f, 0.999f, 0.1f, 0.001f, 1e-8f, 1e-3f);
    double sum = 0;
    for (int c = 0; c < calls; c++) {
      sum += VectorSoftmax.run(z, delta, rows, width, labels, 0.01f, bias, biasGrad, 2);
      sum += VectorSoftmax.run(z, delta, rows, width, labels, 0.01f);
      ReluPass.forward(act, rows, width, bias);
      ReluPass.backward(delta, act, rows, width, biasGrad);
      VectorAdam.update(c % 2 == 0 ? oneLane : twoLanes, params, m, v, 0, n, adam);
    }
    return sum + params.getFloat(0);
  }
}
