package dev.quill.train;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
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
  private final INDArray[] weights;
  private final INDArray[] biases;
  private final INDArray gradient;
  private final INDArray[] weightGrads;
  private final INDArray[] biasGrads;
  private final Map<Integer, Buffers> buffers = new HashMap<>();

  /**
   * A lane of {@code network} with {@code numHeads} heads of {@code numBins} logits, example label rows of
   * {@code labelWidth} floats, multiplying with {@code weights} (per layer: the weight view or its
   * fake-quantized copy, {@link FakeQuantLayers}); the distilled loss adds a {@link DistillPass}.
   */
  StepLane(MultiLayerNetwork network, int numHeads, int numBins, int labelWidth, INDArray[] weights) {
    this.numLayers = network.getnLayers();
    this.numHeads = numHeads;
    this.numBins = numBins;
    this.labelWidth = labelWidth;
    this.distill = DistillPass.forNetwork(network);
    LayerViews views = new LayerViews(network, 0);
    this.nIn = views.nIn;
    this.nOut = views.nOut;
    this.weights = weights;
    this.biases = views.biases;
    this.weightGrads = views.weightGrads;
    this.biasGrads = views.biasGrads;
    this.gradient = views.gradient;
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
    int sd = block.stateDim();
    for (int k = 0; k < n; k++) {
      System.arraycopy(block.states(), order[from + k] * sd, b.xHost, k * sd, sd);
    }
    StudentSupport.labelIndices(block, order, from, n, numHeads, numBins, labelWidth, b.labels);
    b.xPointer.put(b.xHost, 0, n * sd);
    // The output bias and its gradient are folded into the Vector API softmax pass where the buffers allow it.
    boolean fold = b.outputBias != null;
    phase.accept(0);
    // Forward: pre[i+1] = a[i] W_i + b_i, a[i+1] = relu(pre[i+1]); logits z = a[L-1] W_{L-1} + b_{L-1}.
    for (int i = 0; i < numLayers; i++) {
      INDArray pre = i < numLayers - 1 ? b.pre[i + 1] : b.act[i + 1];
      Nd4j.gemm(b.act[i], weights[i], pre, false, false, 1.0, 0.0);
      if (i < numLayers - 1 || !fold) {
        pre.addiRowVector(biases[i]);
      }
      if (i < numLayers - 1) {
        Nd4j.exec(new RectifiedLinear(pre, b.act[i + 1]));
      }
      phase.accept(1 + i);
    }
    // Loss: softmax over each of the n * D rows of B logits; log-loss and p - onehot at the label entries only;
    // dL/dz = (p - onehot) / (D * total), the loss's per-head mean and DL4J's division by the minibatch.
    double scale = 1.0 / ((double) numHeads * total);
    double sum;
    INDArray delta;
    if (b.zHeap != null) {
      int len = n * numHeads * numBins;
      b.logitsPointer.get(b.zHeap, 0, len);
      if (fold) {
        // The output bias is added and its gradient summed inside the softmax pass (no ND4J broadcast, no ones-row GEMM).
        FlatCopy.copyTo(biases[numLayers - 1], b.outputBias);
        java.util.Arrays.fill(b.outputBiasGrad, 0f);
        sum = VectorSoftmax.run(b.zHeap, b.deltaHeap, n * numHeads, numBins, b.labels, (float) scale, b.outputBias,
            b.outputBiasGrad, numHeads);
        FlatCopy.copyInto(b.outputBiasGrad, biasGrads[numLayers - 1]);
      } else {
        sum = VectorSoftmax.run(b.zHeap, b.deltaHeap, n * numHeads, numBins, b.labels, (float) scale);
      }
      b.probPointer.put(b.deltaHeap, 0, len);
      delta = b.prob;
    } else {
      Nd4j.exec(new SoftMax(b.logits2d, b.prob2d, 1));
      sum = 0;
      for (int r = 0; r < b.labels.length; r++) {
        int idx = b.labels[r];
        float p = b.probPointer.get(idx);
        sum += p > 0 ? -Math.log(p) : exactRowLoss(b, r, idx);
        b.probPointer.put(idx, p - 1f);
      }
      delta = b.prob.muli(scale);
    }
    if (distill != null) {
      sum += numHeads * distill.apply(block, order, from, n, total, b.act[numLayers], delta);
    }
    phase.accept(1 + numLayers);
    for (int i = numLayers - 1; i >= 0; i--) {
      Nd4j.gemm(b.act[i], delta, weightGrads[i], true, false, 1.0, 0.0);
      if (i < numLayers - 1 || !fold) {
        Nd4j.gemm(b.ones, delta, biasGrads[i], false, false, 1.0, 0.0);
      }
      if (i > 0) {
        Nd4j.gemm(delta, weights[i], b.dAct[i], false, true, 1.0, 0.0);
        // DL4J's ReLU derivative (0 at a pre-activation of exactly 0, which fake-quantized weights produce).
        Nd4j.exec(new RectifiedLinearDerivative(b.pre[i], b.dAct[i], b.dPre[i], 0.0));
        delta = b.dPre[i];
      }
      phase.accept(2 + 2 * numLayers - 1 - i);
    }
    return sum;
  }

  /** Exact log-loss of one (example, head) row from its logits, for a probability that underflowed to 0. */
  private double exactRowLoss(Buffers b, int row, int labelIndex) {
    int start = row * numBins;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < numBins; j++) {
      max = Math.max(max, b.logitsPointer.get(start + j));
    }
    double sumExp = 0;
    for (int j = 0; j < numBins; j++) {
      sumExp += Math.exp(b.logitsPointer.get(start + j) - max);
    }
    return max + Math.log(sumExp) - b.logitsPointer.get(labelIndex);
  }

  /** Activations, their gradients and the staging arrays for one row count, allocated once. */
  private final class Buffers {
    final float[] xHost;
    final FloatPointer xPointer;
    final INDArray[] act = new INDArray[numLayers + 1];
    final INDArray[] pre = new INDArray[numLayers];
    final INDArray[] dAct = new INDArray[numLayers];
    final INDArray[] dPre = new INDArray[numLayers];
    final INDArray logits2d;
    final FloatPointer logitsPointer;
    final INDArray prob;
    final INDArray prob2d;
    final FloatPointer probPointer;
    final int[] labels;
    final INDArray ones;
    final float[] zHeap;
    final float[] deltaHeap;
    /**
     * The output layer's bias and its gradient on the heap, when they are folded into the Vector API softmax pass:
     * with that pass, and without distillation (which reads the biased logits before the softmax and changes the
     * output gradient after it); otherwise {@code null}.
     */
    final float[] outputBias;
    final float[] outputBiasGrad;

    Buffers(int n) {
      xHost = new float[Math.toIntExact(n * nIn[0])];
      act[0] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[0]}, 'c');
      for (int i = 0; i < numLayers; i++) {
        act[i + 1] = Nd4j.create(DataType.FLOAT, new long[] {n, nOut[i]}, 'c');
        if (i > 0) {
          pre[i] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[i]}, 'c');
          dAct[i] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[i]}, 'c');
          dPre[i] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[i]}, 'c');
        }
      }
      xPointer = new FloatPointer(act[0].data().addressPointer());
      logits2d = act[numLayers].reshape('c', (long) n * numHeads, numBins);
      logitsPointer = new FloatPointer(act[numLayers].data().addressPointer());
      prob = Nd4j.create(DataType.FLOAT, new long[] {n, (long) numHeads * numBins}, 'c');
      prob2d = prob.reshape('c', (long) n * numHeads, numBins);
      probPointer = new FloatPointer(prob.data().addressPointer());
      labels = new int[n * numHeads];
      ones = Nd4j.ones(DataType.FLOAT, 1, n);
      boolean vector = SoftmaxLoss.vectorized(numBins);
      zHeap = vector ? new float[n * numHeads * numBins] : null;
      deltaHeap = vector ? new float[n * numHeads * numBins] : null;
      boolean fold = vector && distill == null;
      outputBias = fold ? new float[numHeads * numBins] : null;
      outputBiasGrad = fold ? new float[numHeads * numBins] : null;
    }
  }
}
