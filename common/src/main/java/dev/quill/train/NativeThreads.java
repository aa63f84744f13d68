package dev.quill.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Threads of ND4J's native backend, chosen by Quill instead of left to {@code OMP_NUM_THREADS}: the
 * op thread pool ({@code Environment.setMaxThreads}/{@code setMaxMasterThreads}) and the BLAS library
 * behind GEMM ({@code Blas.setMaxThreads}, OpenBLAS's {@code openblas_set_num_threads}).
 *
 * <p>The rule: a JVM that trains alone uses one thread per core it may use; Spark executors use
 * {@code spark.ompThreads} per task (one per core-sized worker), so that workers do not oversubscribe
 * the cores. {@code OMP_WAIT_POLICY=PASSIVE} must be set in the environment before the JVM starts
 * (libgomp reads it once when it loads; {@code bin/quill} and {@code quill bench} set it): with the
 * default spin-waiting, idle OpenMP threads steal the cores from BLAS (about 3x slower, see README).
 */
public final class NativeThreads {
  private NativeThreads() {}

  /** Threads for a JVM that trains alone: the cores available to it. */
  public static int forSingleJvm() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Sets ND4J's op threads and its BLAS threads to {@code threads}.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }

  /** ND4J's current op and BLAS threads, e.g. {@code "ops 2, blas 2"}. */
  public static String describe() {
    return "ops " + Nd4j.getEnvironment().maxThreads() + ", blas " + Nd4j.factory().blas().getMaxThreads();
  }
}
