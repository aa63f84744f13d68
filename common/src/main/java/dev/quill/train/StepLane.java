package dev.quill.train;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One lane of {@link FusedPolicyStep}: forward pass, loss and backward pass of a run of minibatch rows
 * into this lane's own flat gradient (laid out like the network's parameters). With several lanes,
 * each computes its share of the minibatch on its own thread, scaled by the whole minibatch's size, so
 * that the lanes' gradients sum to the minibatch gradient. Reads the network's parameters, never writes
 * them. Not thread-safe: one thread per lane at a time.
 */
final class StepLane {
  private final int numLayers;
  private final int numHeads;
  private final int numBins;
  private final int labelWidth;
  private final DistillPass distill;
  private final long[] nIn;
  private final long[] nOut;
  private final INDArray[] biases;
  private final INDArray gradient;
  private final Cblas.Matrix[] weightMatrix;
  private final Cblas.Matrix[] weightGradMatrix;
  /**
   * Per layer, the bias (a view of the network's parameters) and its gradient (a {@code [1, nOut]} view of
   * {@link #gradient}), resolved once: they are read and written every step.
   */
  private final FloatPointer[] biasPointer;
  private final Cblas.Matrix[] biasGradRow;
  private final Map<Integer, Buffers> buffers = new HashMap<>();
  /** The step's bf16 copies of the weights ({@link MatmulPrecision#BF16}), else {@code null}. */
  private final Bf16Layers.Weights halfWeights;

  /**
   * A lane of {@code network} with {@code numHeads} heads of {@code numBins} logits, example label rows of
   * {@code labelWidth} floats, multiplying with {@code weights} (per layer: the weight view or its
   * fake-quantized copy, {@link FakeQuantLayers}), in bf16 past the first layer when {@code halfWeights} (the step's bf16
   * copies of {@code weights}, which it refreshes once per step) is not {@code null}; the distilled loss adds a
   * {@link DistillPass}.
   */
  StepLane(MultiLayerNetwork network, int numHeads, int numBins, int labelWidth, INDArray[] weights,
      Bf16Layers.Weights halfWeights) {
    this.halfWeights = halfWeights;
    this.numLayers = network.getnLayers();
    this.numHeads = numHeads;
    this.numBins = numBins;
    this.labelWidth = labelWidth;
    this.distill = DistillPass.forNetwork(network);
    LayerViews views = new LayerViews(network, 0);
    this.nIn = views.nIn;
    this.nOut = views.nOut;
    this.biases = views.biases;
    this.gradient = views.gradient;
    this.weightMatrix = new Cblas.Matrix[numLayers];
    this.weightGradMatrix = new Cblas.Matrix[numLayers];
    this.biasPointer = new FloatPointer[numLayers];
    this.biasGradRow = new Cblas.Matrix[numLayers];
    for (int i = 0; i < numLayers; i++) {
      weightMatrix[i] = Cblas.Matrix.of(weights[i]);
      weightGradMatrix[i] = Cblas.Matrix.of(views.weightGrads[i]);
      biasPointer[i] = FlatAdam.pointer(biases[i]);
      biasGradRow[i] = Cblas.Matrix.of(views.biasGrads[i]);
    }
  }

  /** This lane's flat gradient, valid after {@link #run}. */
  INDArray gradient() {
    return gradient;
  }

  /**
   * Computes the gradient of the minibatch loss (mean over {@code total} examples and the heads) with
   * respect to all parameters, restricted to examples {@code order[from] .. order[from + n - 1]}, into
   * {@link #gradient}; {@code phase} is told the end of each phase (data, forward per layer, loss,
   * backward per layer).
   *
   * @return the summed log-loss (nats) of those {@code n} examples over all heads, plus, for the distilled
   *     loss, {@code D} times their summed {@code alpha_i D(z_i, t_i)} (so that dividing by {@code n D} gives
   *     the mean per-example loss DL4J reports)
   */
  double run(ExampleBlock block, int[] order, int from, int n, int total, IntConsumer phase) {
    Buffers b = buffers.computeIfAbsent(n, Buffers::new);
    gather(b, block, order, from, n);
    phase.accept(0);
    for (int i = 0; i < numLayers; i++) {
      forward(b, i, n);
      phase.accept(1 + i);
    }
    // dL/dz = (p - onehot) / (D * total): the loss's per-head mean and DL4J's division by the minibatch.
    double scale = 1.0 / ((double) numHeads * total);
    double sum = b.zHeap != null ? vectorLoss(b, n, (float) scale) : nd4jLoss(b, scale);
    if (distill != null) {
      sum += numHeads * distill.apply(block, order, from, n, total, b.act[numLayers], b.prob);
    }
    phase.accept(1 + numLayers);
    for (int i = numLayers - 1; i >= 0; i--) {
      backward(b, i, n);
      phase.accept(2 + 2 * numLayers - 1 - i);
    }
    return sum;
  }

  /** Copies the rows' states into the lane's input matrix and their label entries into {@code b.labels}. */
  private void gather(Buffers b, ExampleBlock block, int[] order, int from, int n) {
    int sd = block.stateDim();
    for (int k = 0; k < n; k++) {
      System.arraycopy(block.states(), order[from + k] * sd, b.xHost, k * sd, sd);
    }
    StudentSupport.labelIndices(block, order, from, n, numHeads, numBins, labelWidth, b.labels);
    b.actMatrix[0].pointer().put(b.xHost, 0, n * sd);
  }

  /**
   * Layer {@code i}'s forward pass: {@code a[i+1] = relu(a[i] W_i + b_i)} for a hidden layer (the bias and the
   * ReLU in one heap sweep, whose result also stays on the heap as the backward pass's mask), the logits
   * {@code z = a[L-1] W_{L-1} (+ b_{L-1})} for the output layer (its bias is added by the softmax pass when folded).
   */
  private void forward(Buffers b, int i, int n) {
    boolean hidden = i < numLayers - 1;
    if (b.half != null && b.half.covers(i)) {
      b.half.forward(i);
    } else {
      Cblas.gemm(b.actMatrix[i], false, weightMatrix[i], false, 0f, hidden ? b.actMatrix[i + 1] : b.logitsMatrix);
    }
    if (hidden) {
      int len = n * (int) nOut[i];
      b.actMatrix[i + 1].pointer().get(b.actHeap[i + 1], 0, len);
      biasPointer[i].get(b.hiddenBias[i], 0, b.hiddenBias[i].length);
      ReluPass.forward(b.actHeap[i + 1], n, (int) nOut[i], b.hiddenBias[i]);
      b.actMatrix[i + 1].pointer().put(b.actHeap[i + 1], 0, len);
    } else if (b.outputBias == null) {
      b.act[i + 1].addiRowVector(biases[i]);
    }
  }

  /**
   * Softmax over each of the {@code n * D} rows of {@code B} logits, on the heap (Vector API): log-loss and
   * {@code p - onehot} at the label entries only, the output bias and its gradient folded in where the buffers
   * allow it (no ND4J broadcast, no ones-row product). Leaves {@code scale * (p - onehot)} in {@code b.prob}.
   */
  private double vectorLoss(Buffers b, int n, float scale) {
    int len = n * numHeads * numBins;
    b.logitsMatrix.pointer().get(b.zHeap, 0, len);
    double sum;
    if (b.outputBias != null) {
      biasPointer[numLayers - 1].get(b.outputBias, 0, b.outputBias.length);
      java.util.Arrays.fill(b.outputBiasGrad, 0f);
      sum = VectorSoftmax.run(b.zHeap, b.deltaHeap, n * numHeads, numBins, b.labels, scale, b.outputBias,
          b.outputBiasGrad, numHeads);
      biasGradRow[numLayers - 1].pointer().put(b.outputBiasGrad, 0, b.outputBiasGrad.length);
    } else {
      sum = VectorSoftmax.run(b.zHeap, b.deltaHeap, n * numHeads, numBins, b.labels, scale);
    }
    b.probPointer.put(b.deltaHeap, 0, len);
    return sum;
  }

  /** {@link #vectorLoss} with ND4J's softmax op, for JVMs without the Vector API. */
  private double nd4jLoss(Buffers b, double scale) {
    Nd4j.exec(new SoftMax(b.logits2d, b.prob2d, 1));
    double sum = 0;
    for (int r = 0; r < b.labels.length; r++) {
      int idx = b.labels[r];
      float p = b.probPointer.get(idx);
      sum += p > 0 ? -Math.log(p) : exactRowLoss(b, r, idx);
      b.probPointer.put(idx, p - 1f);
    }
    b.prob.muli(scale);
    return sum;
  }

  /**
   * Layer {@code i}'s backward pass from {@code delta = dL/d(a[i] W_i + b_i)} (in {@code b.deltaMatrix[i]}):
   * {@code dW_i = a[i]^T delta}, the output bias gradient when not folded, and for {@code i > 0} the next delta
   * {@code relu'(a[i]) * (delta W_i^T)} with layer {@code i - 1}'s bias gradient (its column sums) in one heap sweep.
   */
  private void backward(Buffers b, int i, int n) {
    Cblas.Matrix delta = b.deltaMatrix[i];
    boolean half = b.half != null && b.half.covers(i);
    if (half) {
      b.half.weightGradient(i);
    } else {
      Cblas.gemm(b.actMatrix[i], true, delta, false, 0f, weightGradMatrix[i]);
    }
    if (i == numLayers - 1 && b.outputBias == null) {
      Cblas.gemm(b.onesMatrix, false, delta, false, 0f, biasGradRow[numLayers - 1]);
    }
    if (i > 0) {
      int width = (int) nIn[i];
      int len = n * width;
      if (half) {
        b.half.inputGradient(i);
      } else {
        Cblas.gemm(delta, false, weightMatrix[i], true, 0f, b.deltaMatrix[i - 1]);
      }
      b.deltaMatrix[i - 1].pointer().get(b.deltaHiddenHeap[i], 0, len);
      ReluPass.backward(b.deltaHiddenHeap[i], b.actHeap[i], n, width, b.hiddenBiasGrad[i - 1]);
      b.deltaMatrix[i - 1].pointer().put(b.deltaHiddenHeap[i], 0, len);
      biasGradRow[i - 1].pointer().put(b.hiddenBiasGrad[i - 1], 0, b.hiddenBiasGrad[i - 1].length);
    }
  }

  /** Exact log-loss of one (example, head) row from its logits, for a probability that underflowed to 0. */
  private double exactRowLoss(Buffers b, int row, int labelIndex) {
    int start = row * numBins;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < numBins; j++) {
      max = Math.max(max, b.logitsMatrix.pointer().get(start + j));
    }
    double sumExp = 0;
    for (int j = 0; j < numBins; j++) {
      sumExp += Math.exp(b.logitsMatrix.pointer().get(start + j) - max);
    }
    return max + Math.log(sumExp) - b.logitsMatrix.pointer().get(labelIndex);
  }

  /** Activations, their gradients and the staging arrays for one row count, allocated once. */
  private final class Buffers {
    final float[] xHost;
    /** Native activations: {@code act[0]} the input rows, {@code act[i]} layer {@code i - 1}'s output, {@code act[L]} the logits. */
    final INDArray[] act = new INDArray[numLayers + 1];
    final Cblas.Matrix[] actMatrix = new Cblas.Matrix[numLayers + 1];
    /** Heap copies of the hidden activations (ReLU outputs), the backward pass's masks. */
    final float[][] actHeap = new float[numLayers][];
    final float[][] hiddenBias = new float[numLayers][];
    final float[][] hiddenBiasGrad = new float[numLayers][];
    /** {@code deltaMatrix[i]}: dL/d(layer i's pre-activation), native; the output layer's is {@code prob}. */
    final Cblas.Matrix[] deltaMatrix = new Cblas.Matrix[numLayers];
    final float[][] deltaHiddenHeap = new float[numLayers][];
    final Cblas.Matrix logitsMatrix;
    final INDArray logits2d;
    final INDArray prob;
    final INDArray prob2d;
    final FloatPointer probPointer;
    final int[] labels;
    final Cblas.Matrix onesMatrix;
    final float[] zHeap;
    final float[] deltaHeap;
    /**
     * The output layer's bias and its gradient on the heap, when they are folded into the Vector API softmax pass:
     * with that pass, and without distillation (which reads the biased logits before the softmax and changes the
     * output gradient after it); otherwise {@code null}.
     */
    final float[] outputBias;
    final float[] outputBiasGrad;
    /** The bf16 products of layers 1 .. L-1 ({@link MatmulPrecision#BF16}), else {@code null}. */
    final Bf16Layers half;

    Buffers(int n) {
      xHost = new float[Math.toIntExact(n * nIn[0])];
      act[0] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[0]}, 'c');
      actMatrix[0] = Cblas.Matrix.of(act[0]);
      for (int i = 0; i < numLayers; i++) {
        act[i + 1] = Nd4j.create(DataType.FLOAT, new long[] {n, nOut[i]}, 'c');
        actMatrix[i + 1] = Cblas.Matrix.of(act[i + 1]);
        if (i > 0) {
          int len = Math.toIntExact(n * nIn[i]);
          actHeap[i] = new float[len];
          deltaHiddenHeap[i] = new float[len];
          deltaMatrix[i - 1] = Cblas.Matrix.of(Nd4j.create(DataType.FLOAT, new long[] {n, nIn[i]}, 'c'));
        }
        if (i < numLayers - 1) {
          hiddenBias[i] = new float[(int) nOut[i]];
          hiddenBiasGrad[i] = new float[(int) nOut[i]];
        }
      }
      logitsMatrix = actMatrix[numLayers];
      logits2d = act[numLayers].reshape('c', (long) n * numHeads, numBins);
      prob = Nd4j.create(DataType.FLOAT, new long[] {n, (long) numHeads * numBins}, 'c');
      prob2d = prob.reshape('c', (long) n * numHeads, numBins);
      deltaMatrix[numLayers - 1] = Cblas.Matrix.of(prob);
      probPointer = deltaMatrix[numLayers - 1].pointer();
      labels = new int[n * numHeads];
      onesMatrix = Cblas.Matrix.of(Nd4j.ones(DataType.FLOAT, 1, n));
      boolean vector = SoftmaxLoss.vectorized(numBins);
      zHeap = vector ? new float[n * numHeads * numBins] : null;
      deltaHeap = vector ? new float[n * numHeads * numBins] : null;
      boolean fold = vector && distill == null;
      outputBias = fold ? new float[numHeads * numBins] : null;
      outputBiasGrad = fold ? new float[numHeads * numBins] : null;
      half = halfWeights != null ? new Bf16Layers(actMatrix, halfWeights, weightGradMatrix, deltaMatrix) : null;
    }
  }
}
