package dev.quill.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The practical ceiling of a dense policy's training throughput on this machine, measured rather than
 * taken from another machine: every core runs the step's GEMMs (forward, weight gradient and input
 * gradient of every dense layer, at the full minibatch) and Adam over all parameters at the speed
 * they reach alone on one thread, and nothing else (no softmax, bias, ReLU, data, hand-offs). So
 * {@code ceiling = cores * batch / (gemm + adam)}. This is the measure of the shared peers README
 * (GEMMs at their real shapes plus the Adam step), taken per core with the kernels in effect
 * ({@link BlasKernels}); a throughput above it means the FLOP count or the timing is wrong.
 */
public final class StepCeiling {
  private static final int REPEATS = 7;
  private static final int CALLS = 20;

  /**
   * One measurement.
   *
   * @param gemmMs best time of one step's GEMMs on one thread
   * @param adamMs best time of one Adam step over all parameters on one thread
   * @param cores cores assumed to work in parallel
   * @param batch minibatch rows
   * @param examplesPerSecond {@code cores * batch / (gemmMs + adamMs) * 1000}
   */
  public record Result(double gemmMs, double adamMs, int cores, int batch, double examplesPerSecond) {}

  private StepCeiling() {}

  /**
   * Measures the ceiling of {@code network} (dense layers, Adam; e.g. the default factorized policy) at
   * minibatch {@code batch} on {@code cores} cores, with OpenBLAS on one thread. The network's
   * parameters and updater state are not changed.
   */
  public static Result measure(MultiLayerNetwork network, int batch, int cores) {
    return measure(network, batch, cores, MatmulPrecision.FP32);
  }

  /**
   * {@link #measure(MultiLayerNetwork, int, int)} with the step's products in {@code precision}: for bf16, the fused
   * step's bf16 products of every layer but the first, with their operands' conversions ({@link Bf16Layers}).
   */
  public static Result measure(MultiLayerNetwork network, int batch, int cores, MatmulPrecision precision) {
    NativeThreads.set(1);
    double gemmMs = best(gemms(network, batch, precision));
    FlatAdam adam = FlatAdam.forNetwork(network);
    INDArray params = network.params().dup();
    INDArray[] gradient = {Nd4j.rand(DataType.FLOAT, params.shape()).muli(1e-3)};
    LanePool pool = new LanePool(1);
    double adamMs = best(() -> adam.apply(gradient, 1, params, 0, 0, pool));
    return new Result(gemmMs, adamMs, cores, batch, cores * batch / (gemmMs + adamMs) * 1e3);
  }

  /**
   * The step's GEMMs run on several threads at once, each on its own matrices of {@code rows} rows.
   *
   * @param threads threads that ran at the same time, one BLAS thread each
   * @param rows minibatch rows of each thread's GEMMs
   * @param msPerStep best wall time of one step's GEMMs on every thread (the slowest thread's)
   */
  public record Together(int threads, int rows, double msPerStep) {
    /** Examples per second of all threads together, {@code threads * rows / msPerStep}: GEMMs only, no Adam. */
    public double examplesPerSecond() {
      return threads * rows / msPerStep * 1e3;
    }
  }

  /**
   * Measures what {@link #measure} assumes: it times the step's GEMMs on one thread and multiplies by the cores, but
   * cores that share a physical core, caches or memory bandwidth (a virtual machine's vCPUs) do less together. Here
   * {@code threads} threads run the GEMMs of {@code network} at the same time, each on its own matrices of {@code rows}
   * rows: with {@code rows} the minibatch, the cores' real combined speed; with the minibatch divided by the threads,
   * the shapes that data-parallel lanes ({@link FusedPolicyStep}) multiply. The network is not changed.
   *
   * @throws IllegalArgumentException if {@code threads < 1} or {@code rows < 1}
   */
  public static Together gemmsTogether(MultiLayerNetwork network, int rows, int threads) {
    return gemmsTogether(network, rows, threads, MatmulPrecision.FP32);
  }

  /** {@link #gemmsTogether(MultiLayerNetwork, int, int)} with the products in {@code precision}. */
  public static Together gemmsTogether(MultiLayerNetwork network, int rows, int threads, MatmulPrecision precision) {
    if (threads < 1 || rows < 1) {
      throw new IllegalArgumentException("threads and rows must be >= 1, got " + threads + " and " + rows);
    }
    NativeThreads.set(1);
    Runnable[] work = new Runnable[threads];
    for (int k = 0; k < threads; k++) {
      work[k] = gemms(network, rows, precision);
    }
    // One hand-off per step, as the lanes do; each call returns when the slowest thread is done.
    LanePool pool = new LanePool(threads);
    return new Together(threads, rows, best(() -> pool.run(threads, k -> work[k].run())));
  }

  /**
   * One step's GEMMs of {@code network}'s dense layers at {@code rows} rows, on matrices of their own: per layer the
   * forward product, the weight gradient and (past the first layer) the input gradient. The products go straight to
   * OpenBLAS, as the fused step calls them ({@link Cblas}), so this is their bare cost; in bf16, layers past the first
   * run the fused step's bf16 products with their conversions ({@link Bf16Layers}), chained through the layers.
   */
  private static Runnable gemms(MultiLayerNetwork network, int rows, MatmulPrecision precision) {
    LayerViews views = new LayerViews(network, 0);
    int layers = views.nIn.length;
    // Per layer: activations, weights, output, delta, dW, dX.
    Cblas.Matrix[][] m = new Cblas.Matrix[layers][];
    for (int i = 0; i < layers; i++) {
      m[i] = new Cblas.Matrix[] {Cblas.Matrix.of(Nd4j.rand(DataType.FLOAT, rows, views.nIn[i])),
          Cblas.Matrix.of(views.weights[i].dup('f')),
          Cblas.Matrix.of(Nd4j.create(DataType.FLOAT, new long[] {rows, views.nOut[i]}, 'c')),
          Cblas.Matrix.of(Nd4j.rand(DataType.FLOAT, rows, views.nOut[i])),
          Cblas.Matrix.of(Nd4j.create(DataType.FLOAT, new long[] {views.nIn[i], views.nOut[i]}, 'f')),
          Cblas.Matrix.of(Nd4j.create(DataType.FLOAT, new long[] {rows, views.nIn[i]}, 'c'))};
    }
    Bf16Layers half = null;
    Bf16Layers.Weights weights = null;
    if (precision == MatmulPrecision.BF16 && layers > 1) {
      Cblas.Matrix[] act = new Cblas.Matrix[layers + 1];
      Cblas.Matrix[] weightMatrices = new Cblas.Matrix[layers];
      Cblas.Matrix[] grads = new Cblas.Matrix[layers];
      Cblas.Matrix[] deltas = new Cblas.Matrix[layers];
      for (int i = 0; i < layers; i++) {
        act[i] = m[i][0];
        weightMatrices[i] = m[i][1];
        grads[i] = m[i][4];
        deltas[i] = m[i][3];
      }
      act[layers] = m[layers - 1][2];
      weights = new Bf16Layers.Weights(weightMatrices);
      half = new Bf16Layers(act, weights, grads, deltas);
    }
    Bf16Layers bf16 = half;
    Bf16Layers.Weights bf16Weights = weights;
    return () -> {
      if (bf16Weights != null) {
        // Once per step, as the fused step converts them.
        bf16Weights.refresh();
      }
      for (int i = 0; i < layers; i++) {
        if (bf16 != null && bf16.covers(i)) {
          bf16.forward(i);
          bf16.weightGradient(i);
          bf16.inputGradient(i);
          continue;
        }
        Cblas.gemm(m[i][0], false, m[i][1], false, 0f, m[i][2]);
        Cblas.gemm(m[i][0], true, m[i][3], false, 0f, m[i][4]);
        if (i > 0) {
          Cblas.gemm(m[i][3], false, m[i][1], true, 0f, m[i][5]);
        }
      }
    };
  }

  private static double best(Runnable work) {
    for (int i = 0; i < CALLS; i++) {
      work.run();
    }
    double best = Double.MAX_VALUE;
    for (int r = 0; r < REPEATS; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        work.run();
      }
      best = Math.min(best, (System.nanoTime() - start) / 1e6 / CALLS);
    }
    return best;
  }
}
