package dev.quill.train;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One Adam step of Quill's convolutional token policy ({@code train.network: conv}: stride-2 ReLU
 * convolutions on the flat channel-major image, dense ReLU layers, one output layer of {@code D * B} logits,
 * {@link FactorizedTokenCrossEntropy}) computed directly on a DL4J {@link MultiLayerNetwork}'s flattened
 * parameters and updater state.
 *
 * <p>Why it exists: DL4J 1.0.0-M2.1's {@code ConvolutionLayer} on the generic x86-64 ND4J build spends
 * most of a step in the native {@code im2col}/{@code col2im} ops and in ReLU on permuted views (README,
 * "Image observations": 0.4-0.5 s per minibatch of 64 32x32x3 images, about 60 % of it im2col). Here every
 * convolution is an im2col in Java into a contiguous column matrix followed by one GEMM (Chellapilla et al.
 * 2006, see {@link ConvGeometry}); backpropagation is the chain rule on the same matrices (Rumelhart et al.
 * 1986): {@code dW = dOut^T cols}, {@code db = column sums of dOut}, {@code dCols = dOut W}, then col2im.
 * The dense layers, the loss (one native softmax over the {@code [batch * D, B]} view, log-loss of Cao
 * &amp; Xie 2026 at the label entries) and Adam ({@link FlatAdam}) are computed as in {@link FusedPolicyStep}.
 *
 * <p>It computes what {@code network.fit} computes for such a network (same loss, gradient, division by
 * the minibatch size, Adam formula and iteration count; the tests compare parameters and Adam state after
 * several steps). Low-bit students train here as in {@link FusedPolicyStep}: convolution kernels and dense
 * weights with {@link dev.quill.nn.qat.FakeQuantWeights} are fake-quantized once per step (per output channel
 * = a kernel's first index) with the straight-through estimator ({@link FakeQuantLayers}), and
 * {@link dev.quill.loss.DistilledTokenCrossEntropy} adds its distillation pass ({@link DistillPass}).
 * Networks it does not cover are reported by {@link #unsupportedReason}. Not thread-safe:
 * one instance per network and thread.
 */
public final class FusedConvStep implements FusedStep {
  private final MultiLayerNetwork network;
  /** One lane: FlatAdam runs on the calling thread (the step is single-threaded). */
  private final LanePool pool = new LanePool(1);
  private final int convs;
  private final int numLayers;
  private final int numHeads;
  private final int numBins;
  private final int labelWidth;
  private final FakeQuantLayers quant;
  private final DistillPass distill;
  private final ConvGeometry[] geometry;
  private final long[] nIn;
  private final long[] nOut;
  private final INDArray[] weights;
  private final INDArray[] biases;
  private final INDArray gradient;
  private final INDArray[] weightGrads;
  private final INDArray[] biasGrads;
  private final FlatAdam adam;
  private final Map<Integer, ConvBuffers> buffers = new HashMap<>();

  /**
   * Prepares the step for {@code network} (already initialized).
   *
   * @throws IllegalArgumentException if {@link #unsupportedReason} is not empty
   */
  public FusedConvStep(MultiLayerNetwork network) {
    unsupportedReason(network).ifPresent(reason -> {
      throw new IllegalArgumentException("the fused convolution step does not support this network: " + reason);
    });
    this.network = network;
    this.numLayers = network.getnLayers();
    this.convs = FusedConvSupport.convLayers(network);
    int[] shape = StudentSupport.headsBinsWidth(network);
    this.numHeads = shape[0];
    this.numBins = shape[1];
    this.labelWidth = shape[2];
    this.quant = new FakeQuantLayers(network);
    this.distill = DistillPass.forNetwork(network);
    this.geometry = new ConvGeometry[convs];
    FeedForwardToCnnPreProcessor in = (FeedForwardToCnnPreProcessor) network.getLayerWiseConfigurations()
        .getInputPreProcess(0);
    int c = (int) in.getNumChannels();
    int h = (int) in.getInputHeight();
    int w = (int) in.getInputWidth();
    LayerViews views = new LayerViews(network, convs);
    this.nIn = views.nIn;
    this.nOut = views.nOut;
    this.weights = quant.forward();
    this.biases = views.biases;
    this.weightGrads = views.weightGrads;
    this.biasGrads = views.biasGrads;
    this.gradient = views.gradient;
    for (int i = 0; i < convs; i++) {
      ConvolutionLayer cl = (ConvolutionLayer) network.getLayer(i).conf().getLayer();
      geometry[i] = new ConvGeometry(c, h, w, (int) nOut[i], cl.getKernelSize()[0], cl.getKernelSize()[1],
          cl.getStride()[0], cl.getStride()[1], cl.getPadding()[0], cl.getPadding()[1]);
      c = (int) nOut[i];
      h = geometry[i].outHeight();
      w = geometry[i].outWidth();
    }
    if (nIn[convs] != (long) c * h * w) {
      throw new IllegalArgumentException("layer " + convs + " expects " + nIn[convs] + " inputs, the convolutions give "
          + c + "x" + h + "x" + w);
    }
    this.adam = FlatAdam.forNetwork(network);
  }

  /** Why the step cannot train {@code network}, or empty if it can (see {@code FusedConvSupport}). */
  public static Optional<String> unsupportedReason(MultiLayerNetwork network) {
    return FusedConvSupport.unsupportedReason(network);
  }

  /** Writes the Adam moments kept on the heap back into the network's updater state (see {@link FusedPolicyStep#flush}). */
  public void flush() {
    adam.flush();
  }

  /** Re-reads the network's Adam moments after they were replaced from outside (parameter averaging). */
  public void reloadUpdaterState() {
    adam.reload();
  }

  /**
   * Fits one minibatch: examples {@code order[from] .. order[from + n - 1]} of {@code block}. Updates the
   * network's parameters, Adam state, iteration count and score, like {@code network.fit}.
   *
   * @return the minibatch's mean loss as DL4J's score reports it: log-loss (nats, mean over heads), plus
   *     {@code alpha} times the teacher distance for the distilled loss
   */
  public double fit(ExampleBlock block, int[] order, int from, int n) {
    int sd = geometry[0].inSize();
    if (block.stateDim() != sd || block.numHeads() != labelWidth) {
      throw new IllegalArgumentException("examples have state dimension " + block.stateDim() + " and label width "
          + block.numHeads() + ", the network expects " + sd + " and " + labelWidth);
    }
    ConvBuffers b = buffers.computeIfAbsent(n, k -> new ConvBuffers(k, geometry, nIn, nOut, numHeads, numBins));
    for (int k = 0; k < n; k++) {
      System.arraycopy(block.states(), order[from + k] * sd, b.in[0], k * sd, sd);
    }
    StudentSupport.labelIndices(block, order, from, n, numHeads, numBins, labelWidth, b.labels);
    quant.refresh();
    for (int i = 0; i < convs; i++) {
      convForward(b, i, n);
    }
    b.pointer(b.act[convs]).put(b.in[convs], 0, n * (int) nIn[convs]);
    double score = denseStep(b, block, order, from, n);
    for (int i = convs - 1; i >= 0; i--) {
      convBackward(b, i, n);
    }
    adam.apply(new INDArray[] {gradient}, 1, network.params(), network.getIterationCount(), network.getEpochCount(), pool);
    network.setIterationCount(network.getIterationCount() + 1);
    network.setScore(score);
    return score;
  }

  /** {@code in[i + 1] = relu(conv_i(in[i]) + b_i)}, NCHW; keeps the column matrix for the backward pass. */
  private void convForward(ConvBuffers b, int i, int n) {
    ConvGeometry g = geometry[i];
    int k = g.patchSize();
    int o = g.outChannels();
    int p = g.outPixels();
    g.im2col(b.in[i], n, b.colsHost[i]);
    b.pointer(b.cols[i]).put(b.colsHost[i], 0, n * p * k);
    Nd4j.gemm(b.cols[i], weights[i].reshape('c', o, k), b.out[i], false, true, 1.0, 0.0);
    float[] out = b.outHost[i];
    b.pointer(b.out[i]).get(out, 0, n * p * o);
    float[] bias = biases[i].toFloatVector();
    float[] next = b.in[i + 1];
    for (int e = 0; e < n; e++) {
      for (int q = 0; q < p; q++) {
        int row = (e * p + q) * o;
        for (int c = 0; c < o; c++) {
          float v = out[row + c] + bias[c];
          next[(e * o + c) * p + q] = v > 0 ? v : 0f;
        }
      }
    }
  }

  /** Gradients of conv layer {@code i} from {@code dIn[i + 1]}; {@code dIn[i]} for {@code i > 0}. */
  private void convBackward(ConvBuffers b, int i, int n) {
    ConvGeometry g = geometry[i];
    int k = g.patchSize();
    int o = g.outChannels();
    int p = g.outPixels();
    float[] act = b.in[i + 1];
    float[] dAct = b.dIn[i + 1];
    float[] dOut = b.outHost[i];
    double[] db = new double[o];
    for (int e = 0; e < n; e++) {
      for (int c = 0; c < o; c++) {
        for (int q = 0; q < p; q++) {
          int idx = (e * o + c) * p + q;
          float d = act[idx] > 0 ? dAct[idx] : 0f;
          dOut[(e * p + q) * o + c] = d;
          db[c] += d;
        }
      }
    }
    b.pointer(b.out[i]).put(dOut, 0, n * p * o);
    Nd4j.gemm(b.out[i], b.cols[i], b.dW[i], true, false, 1.0, 0.0);
    weightGrads[i].assign(b.dW[i].reshape('c', weightGrads[i].shape()));
    float[] dbf = new float[o];
    for (int c = 0; c < o; c++) {
      dbf[c] = (float) db[c];
    }
    biasGrads[i].assign(Nd4j.createFromArray(dbf).reshape(biasGrads[i].shape()));
    if (i > 0) {
      Nd4j.gemm(b.out[i], weights[i].reshape('c', o, k), b.cols[i], false, false, 1.0, 0.0);
      b.pointer(b.cols[i]).get(b.colsHost[i], 0, n * p * k);
      g.col2im(b.colsHost[i], n, b.dIn[i]);
    }
  }

  /** Dense layers, loss and their backward pass (as {@link FusedPolicyStep}); leaves {@code dIn[convs]}. */
  private double denseStep(ConvBuffers b, ExampleBlock block, int[] order, int from, int n) {
    for (int i = convs; i < numLayers; i++) {
      INDArray pre = i < numLayers - 1 ? b.pre[i + 1] : b.act[i + 1];
      Nd4j.gemm(b.act[i], weights[i], pre, false, false, 1.0, 0.0);
      pre.addiRowVector(biases[i]);
      if (i < numLayers - 1) {
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(pre, b.act[i + 1]));
      }
    }
    double score = b.softmaxLoss(n, numHeads);
    INDArray delta = b.prob.muli(1.0 / ((double) numHeads * n));
    if (distill != null) {
      score += distill.apply(block, order, from, n, n, b.act[numLayers], delta) / n;
    }
    for (int i = numLayers - 1; i >= convs; i--) {
      Nd4j.gemm(b.act[i], delta, weightGrads[i], true, false, 1.0, 0.0);
      Nd4j.gemm(b.ones, delta, biasGrads[i], false, false, 1.0, 0.0);
      Nd4j.gemm(delta, weights[i], b.dAct[i], false, true, 1.0, 0.0);
      if (i > convs) {
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative(b.pre[i], b.dAct[i], b.dPre[i], 0.0));
        delta = b.dPre[i];
      }
    }
    b.pointer(b.dAct[convs]).get(b.dIn[convs], 0, n * (int) nIn[convs]);
    return score;
  }
}
