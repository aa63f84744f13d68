package dev.quill.train;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;

/**
 * One Adam step of Quill's factorized token policy (ReLU MLP trunk, one output layer of {@code D * B}
 * logits, {@link FactorizedTokenCrossEntropy}) computed directly on a DL4J {@link MultiLayerNetwork}'s
 * flattened parameters and updater state, with every intermediate array allocated once.
 *
 * <p>It computes exactly what {@link MultiLayerNetwork#fit(org.nd4j.linalg.dataset.api.DataSet)} computes
 * for such a network (same loss, gradient, division by the minibatch size, Adam op and iteration count;
 * the tests compare parameters after several steps), but without the work DL4J repeats or spreads over
 * many small operations: the output layer's forward GEMM and softmax run once per step (DL4J runs both
 * twice, once for the gradient and once for the score), the D softmaxes run as one native softmax over a
 * {@code [batch * D, B]} view, the loss and the one-hot subtraction touch only the {@code batch * D}
 * label entries (read and written in place, no one-hot matrix), bias gradients are one {@code 1 x n}
 * GEMM each (ND4J's column sum is 5x slower), and Adam runs as one vectorizable Java loop over all
 * parameters (see {@link FlatAdam}). Backpropagation follows the chain rule for {@code relu(x W + b)}
 * layers (Rumelhart et al. 1986); the loss is the log-loss of Cao &amp; Xie 2026 over quantized actions.
 *
 * <p>The network keeps its DL4J identity: parameters named {@code W}/{@code b} with their shapes, the
 * updater state DL4J saves and restores, and the iteration count. Networks this step does not cover
 * (weight noise for QAT, other losses such as DistilledTokenCrossEntropy, dropout, regularization,
 * gradient normalization, updaters other than Adam) are reported by {@link #unsupportedReason} and
 * must be trained with {@code fit}. Not thread-safe: one instance per network and thread.
 */
public final class FusedPolicyStep {
  private final MultiLayerNetwork network;
  private final int numLayers;
  private final int numHeads;
  private final int numBins;
  private final long[] nIn;
  private final long[] nOut;
  private final INDArray[] weights;
  private final INDArray[] biases;
  private final INDArray gradient;
  private final INDArray[] weightGrads;
  private final INDArray[] biasGrads;
  private final FlatAdam adam;
  private final Map<Integer, Buffers> buffers = new HashMap<>();
  private StepProfile profile;

  /**
   * Prepares the step for {@code network} (already initialized).
   *
   * @throws IllegalArgumentException if {@link #unsupportedReason} is not empty
   */
  public FusedPolicyStep(MultiLayerNetwork network) {
    unsupportedReason(network).ifPresent(reason -> {
      throw new IllegalArgumentException("the fused step does not support this network: " + reason);
    });
    this.network = network;
    this.numLayers = network.getnLayers();
    FactorizedTokenCrossEntropy loss = (FactorizedTokenCrossEntropy) ((OutputLayer) network.getLayer(numLayers - 1)
        .conf().getLayer()).getLossFn();
    this.numHeads = loss.getNumHeads();
    this.numBins = loss.getNumBins();
    this.nIn = new long[numLayers];
    this.nOut = new long[numLayers];
    this.weights = new INDArray[numLayers];
    this.biases = new INDArray[numLayers];
    this.weightGrads = new INDArray[numLayers];
    this.biasGrads = new INDArray[numLayers];
    this.gradient = Nd4j.create(DataType.FLOAT, network.params().shape(), 'c');
    INDArray gradientRow = gradient.reshape(1, network.numParams());
    long offset = 0;
    for (int i = 0; i < numLayers; i++) {
      Layer layer = network.getLayer(i);
      org.deeplearning4j.nn.conf.layers.FeedForwardLayer conf =
          (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer.conf().getLayer();
      nIn[i] = conf.getNIn();
      nOut[i] = conf.getNOut();
      weights[i] = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
      biases[i] = layer.getParam(DefaultParamInitializer.BIAS_KEY);
      long n = layer.numParams();
      Map<String, INDArray> views = DefaultParamInitializer.getInstance().getGradientsFromFlattened(layer.conf(),
          gradientRow.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + n)));
      weightGrads[i] = views.get(DefaultParamInitializer.WEIGHT_KEY);
      biasGrads[i] = views.get(DefaultParamInitializer.BIAS_KEY).reshape(1, nOut[i]);
      offset += n;
    }
    UpdaterBlock block = ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks().get(0);
    if (block.getGradientUpdater() == null) {
      block.init();
    }
    this.adam = new FlatAdam((AdamUpdater) block.getGradientUpdater(), Math.toIntExact(network.numParams()));
  }

  /**
   * Why the fused step cannot train {@code network}, or empty if it can: float parameters, dense ReLU
   * layers with biases, an identity output layer with {@link FactorizedTokenCrossEntropy}, one Adam
   * updater for all parameters, and no weight noise, dropout, regularization, gradient normalization or
   * constraints.
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
   * the network's parameters, Adam state, iteration count and score, like {@code network.fit}.
   *
   * @return the minibatch's mean log-loss (nats, mean over heads), the value {@code network.score()} then
   *     reports
   */
  public double fit(ExampleBlock block, int[] order, int from, int n) {
    if (block.stateDim() != nIn[0] || block.numHeads() != numHeads) {
      throw new IllegalArgumentException("examples have state dimension " + block.stateDim() + " and " + block.numHeads()
          + " tokens, the network expects " + nIn[0] + " and " + numHeads);
    }
    phase(-1);
    Buffers b = buffers.computeIfAbsent(n, Buffers::new);
    int sd = block.stateDim();
    for (int k = 0; k < n; k++) {
      int src = order[from + k];
      System.arraycopy(block.states(), src * sd, b.xHost, k * sd, sd);
      for (int h = 0; h < numHeads; h++) {
        float t = block.tokens()[src * numHeads + h];
        int token = (int) t;
        if (token != t || token < 0 || token >= numBins) {
          throw new IllegalArgumentException("label " + t + " of example " + src + ", head " + h + " is not a token in [0, "
              + (numBins - 1) + "]");
        }
        b.labels[k * numHeads + h] = k * numHeads * numBins + h * numBins + token;
      }
    }
    b.xPointer.put(b.xHost, 0, n * sd);
    phase(0);
    double score = step(b, n);
    network.setIterationCount(network.getIterationCount() + 1);
    network.setScore(score);
    return score;
  }

  private double step(Buffers b, int n) {
    // Forward: pre[i+1] = a[i] W_i + b_i, a[i+1] = relu(pre[i+1]); logits z = a[L-1] W_{L-1} + b_{L-1}.
    for (int i = 0; i < numLayers; i++) {
      INDArray pre = i < numLayers - 1 ? b.pre[i + 1] : b.act[i + 1];
      Nd4j.gemm(b.act[i], weights[i], pre, false, false, 1.0, 0.0);
      pre.addiRowVector(biases[i]);
      if (i < numLayers - 1) {
        Nd4j.exec(new RectifiedLinear(pre, b.act[i + 1]));
      }
      phase(1 + i);
    }
    // Loss: one softmax over the [n * D, B] view; -log p[label] and p - onehot at the label entries only.
    Nd4j.exec(new SoftMax(b.logits2d, b.prob2d, 1));
    double sum = 0;
    for (int r = 0; r < b.labels.length; r++) {
      int idx = b.labels[r];
      float p = b.probPointer.get(idx);
      sum += p > 0 ? -Math.log(p) : exactRowLoss(b, r, idx);
      b.probPointer.put(idx, p - 1f);
    }
    double score = sum / ((double) n * numHeads);
    phase(1 + numLayers);
    // Backward: dL/dz = (p - onehot) / (D * n), the loss's per-head mean and DL4J's division by the minibatch.
    INDArray delta = b.prob.muli(1.0 / ((double) numHeads * n));
    for (int i = numLayers - 1; i >= 0; i--) {
      Nd4j.gemm(b.act[i], delta, weightGrads[i], true, false, 1.0, 0.0);
      Nd4j.gemm(b.ones, delta, biasGrads[i], false, false, 1.0, 0.0);
      if (i > 0) {
        Nd4j.gemm(delta, weights[i], b.dAct[i], false, true, 1.0, 0.0);
        Nd4j.exec(new LeakyReLUBp(b.pre[i], b.dAct[i], b.dPre[i], 0.0));
        delta = b.dPre[i];
      }
      phase(2 + 2 * numLayers - 1 - i);
    }
    adam.apply(gradient, network.getIterationCount(), network.getEpochCount());
    network.params().subi(gradient);
    phase(2 + 2 * numLayers);
    return score;
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

  /** Activations, their gradients and the staging arrays for one minibatch size, allocated once. */
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
    }
  }
}
