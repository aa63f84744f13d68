package dev.quill.train;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import java.util.Arrays;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One Adam step of Quill's factorized token policy (ReLU MLP trunk, one output layer of {@code D * B}
 * logits, {@link FactorizedTokenCrossEntropy}) computed directly on a DL4J {@link MultiLayerNetwork}'s
 * flattened parameters and updater state, with every intermediate array allocated once.
 *
 * <p>It computes exactly what {@link MultiLayerNetwork#fit(org.nd4j.linalg.dataset.api.DataSet)} computes
 * for such a network (same loss, gradient, division by the minibatch size, Adam op and iteration count;
 * the tests compare parameters after several steps), but without the work DL4J repeats or spreads over
 * many small operations: the output layer's forward GEMM and softmax run once per step (DL4J runs both
 * twice, once for the gradient and once for the score), the D softmaxes run in one pass over the
 * {@code [batch * D, B]} logits (a Java Vector API kernel, {@link VectorSoftmax}, where the JVM has the
 * module, else one native softmax op), the loss and the one-hot subtraction touch only the {@code batch * D}
 * label entries (no one-hot matrix), every matrix product calls OpenBLAS directly ({@link Cblas}, without ND4J's
 * per-op Java overhead), each hidden layer's bias and ReLU are one heap sweep forward and its ReLU mask and bias
 * gradient one sweep backward ({@link ReluPass}), the output bias rides in the softmax pass, and Adam runs as one
 * vectorizable Java loop over all
 * parameters (see {@link FlatAdam}). Backpropagation follows the chain rule for {@code relu(x W + b)}
 * layers (Rumelhart et al. 1986); the loss is the log-loss of Cao &amp; Xie 2026 over quantized actions.
 *
 * <p>Low-bit students (Park et al., ICCV 2025) train here too: layers with
 * {@link dev.quill.nn.qat.FakeQuantWeights} multiply with weights fake-quantized once per step from the float
 * weights, whose gradient passes straight through ({@link FakeQuantLayers}), and the distilled loss
 * {@link dev.quill.loss.DistilledTokenCrossEntropy} adds its teacher-distance term after the softmax pass
 * ({@link DistillPass}), reading tokens, teacher logits and alpha from each example's label row.
 *
 * <p>The network keeps its DL4J identity: parameters named {@code W}/{@code b} with their shapes, the
 * updater state DL4J saves and restores, and the iteration count. Networks this step does not cover
 * (LSQ activation layers, other losses, dropout, regularization, gradient normalization, updaters other
 * than Adam) are reported by {@link #unsupportedReason} and must be trained with {@code fit}. With several lanes (data parallelism inside the JVM), each lane
 * computes the gradient of its share of the minibatch on its own thread ({@link StepLane}) and the
 * sum goes through one Adam step split over the same threads. Not thread-safe: one instance per
 * network and calling thread.
 */
public final class FusedPolicyStep implements FusedStep {
  private final MultiLayerNetwork network;
  private final int numLayers;
  private final int numHeads;
  private final int labelWidth;
  private final long stateDim;
  private final FakeQuantLayers quant;
  private final StepLane[] lanes;
  private final INDArray[] laneGradients;
  private final LanePool pool;
  private final FlatAdam adam;
  private final MatmulPrecision precision;
  /** bf16 copies of the weights, converted once per step for every lane ({@link MatmulPrecision#BF16}), else null. */
  private final Bf16Layers.Weights halfWeights;
  private StepProfile profile;

  /**
   * Prepares the step for {@code network} (already initialized), computed on the calling thread.
   *
   * @throws IllegalArgumentException if {@link #unsupportedReason} is not empty
   */
  public FusedPolicyStep(MultiLayerNetwork network) {
    this(network, 1);
  }

  /**
   * Prepares the step for {@code network} (already initialized) with {@code lanes} data-parallel
   * lanes: each minibatch is cut into {@code lanes} nearly equal runs of rows, each lane computes the
   * forward and backward pass of its rows on its own thread (lane 0 on the caller's), the lanes'
   * gradients are summed, and Adam runs on {@code lanes} parameter ranges at once. The update equals
   * the 1-lane update up to float rounding (sums of GEMM partial products in another order). Give each
   * lane one BLAS thread ({@link NativeThreads#set}{@code (1)}) so that lanes do not compete for cores.
   *
   * @throws IllegalArgumentException if {@link #unsupportedReason} is not empty or {@code lanes < 1}
   */
  public FusedPolicyStep(MultiLayerNetwork network, int lanes) {
    this(network, lanes, MatmulPrecision.FP32);
  }

  /**
   * {@link #FusedPolicyStep(MultiLayerNetwork, int)} with the matrix products in {@code precision}: with
   * {@link MatmulPrecision#BF16} every dense layer but the first multiplies bf16 copies of its operands, accumulating
   * in float32; the update then differs from the float32 one by bf16 rounding of those operands (relative 2^-9).
   *
   * @throws IllegalArgumentException if {@link #unsupportedReason} is not empty or {@code lanes < 1}
   * @throws IllegalStateException for bf16 on a CPU without AVX-512 BF16 or AMX
   */
  public FusedPolicyStep(MultiLayerNetwork network, int lanes, MatmulPrecision precision) {
    unsupportedReason(network).ifPresent(reason -> {
      throw new IllegalArgumentException("the fused step does not support this network: " + reason);
    });
    if (lanes < 1) {
      throw new IllegalArgumentException("lanes must be >= 1, got " + lanes);
    }
    this.precision = precision.supportedHere();
    this.network = network;
    this.numLayers = network.getnLayers();
    int[] shape = StudentSupport.headsBinsWidth(network);
    this.numHeads = shape[0];
    this.labelWidth = shape[2];
    this.quant = new FakeQuantLayers(network);
    this.stateDim = network.getLayer(0).getParam(DefaultParamInitializer.WEIGHT_KEY).size(0);
    INDArray[] weights = quant.forward();
    this.halfWeights = precision == MatmulPrecision.BF16
        ? new Bf16Layers.Weights(Arrays.stream(weights).map(Cblas.Matrix::of).toArray(Cblas.Matrix[]::new))
        : null;
    this.lanes = new StepLane[lanes];
    this.laneGradients = new INDArray[lanes];
    for (int k = 0; k < lanes; k++) {
      this.lanes[k] = new StepLane(network, shape[0], shape[1], shape[2], weights, halfWeights);
      this.laneGradients[k] = this.lanes[k].gradient();
    }
    this.pool = new LanePool(lanes);
    this.adam = FlatAdam.forNetwork(network);
  }

  /**
   * Whether this JVM computes the softmax and log-loss of rows of {@code numBins} logits with the Java
   * Vector API kernel ({@code --add-modules jdk.incubator.vector}, see README, Performance) rather than
   * with ND4J's softmax op.
   */
  public static boolean vectorSoftmax(int numBins) {
    return SoftmaxLoss.vectorized(numBins);
  }

  /**
   * Seconds this JVM spent warming up the Vector API kernels inside its first fused step ({@link KernelWarmup}),
   * 0 if none ran.
   */
  public static double kernelWarmupSeconds() {
    return KernelWarmup.seconds();
  }

  /** Seconds this JVM's fused steps spent running or waiting for the kernels' warm-up ({@link KernelWarmup}). */
  public static double kernelWarmupWaitSeconds() {
    return KernelWarmup.waitedSeconds();
  }

  @Override
  public MatmulPrecision precision() {
    return precision;
  }

  /** Number of data-parallel lanes. */
  public int lanes() {
    return lanes.length;
  }

  /**
   * Why the fused step cannot train {@code network}, or empty if it can: float parameters, dense ReLU
   * layers with biases, an identity output layer with {@link FactorizedTokenCrossEntropy} or
   * {@link dev.quill.loss.DistilledTokenCrossEntropy}, one Adam updater for all parameters, no weight noise
   * but {@link dev.quill.nn.qat.FakeQuantWeights}, and no LSQ activation layers, dropout, regularization,
   * gradient normalization or constraints.
   */
  public static Optional<String> unsupportedReason(MultiLayerNetwork network) {
    return FusedStepSupport.unsupportedReason(network);
  }

  /**
   * Writes the Adam moments, kept on the Java heap between steps, back into the network's updater state.
   * Call it before anything reads, averages or saves the network's updater state; parameters, iteration
   * count and score are always current.
   */
  public void flush() {
    adam.flush();
  }

  /**
   * Re-reads the network's Adam moments after they were replaced from outside (parameter averaging
   * broadcasts averaged parameters and updater state into a worker's network).
   */
  public void reloadUpdaterState() {
    adam.reload();
  }

  /**
   * Starts recording the calling thread's CPU time per phase of every later step (see
   * {@link StepProfile}) and returns the profile.
   */
  public StepProfile startProfiling() {
    profile = new StepProfile(numLayers);
    return profile;
  }

  private void phase(int index) {
    if (profile != null) {
      profile.phase(index);
    }
  }

  /**
   * Fits one minibatch: examples {@code order[from] .. order[from + n - 1]} of {@code block}. Updates
   * the network's parameters, Adam state, iteration count and score, like {@code network.fit}. With
   * several lanes, the profile (if any) records lane 0's thread.
   *
   * @return the minibatch's mean loss (log-loss in nats, mean over heads, plus {@code alpha} times the teacher
   *     distance for the distilled loss), the value {@code network.score()} then
   *     reports
   */
  public double fit(ExampleBlock block, int[] order, int from, int n) {
    if (block.stateDim() != stateDim || block.numHeads() != labelWidth) {
      throw new IllegalArgumentException("examples have state dimension " + block.stateDim() + " and label width "
          + block.numHeads() + ", the network expects " + stateDim + " and " + labelWidth);
    }
    KernelWarmup.ensure();
    phase(-1);
    quant.refresh();
    if (halfWeights != null) {
      halfWeights.refresh();
    }
    int used = Math.min(lanes.length, n);
    double[] sums = new double[used];
    pool.run(used, k -> {
      int lo = (int) ((long) n * k / used);
      int hi = (int) ((long) n * (k + 1) / used);
      sums[k] = lanes[k].run(block, order, from + lo, hi - lo, n, k == 0 ? this::phase : i -> { });
    });
    double sum = 0;
    for (double s : sums) {
      sum += s;
    }
    adam.apply(laneGradients, used, network.params(), network.getIterationCount(), network.getEpochCount(), pool);
    phase(2 + 2 * numLayers);
    double score = sum / ((double) n * numHeads);
    network.setIterationCount(network.getIterationCount() + 1);
    network.setScore(score);
    return score;
  }
}
