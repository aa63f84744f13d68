package dev.quill.train;

import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays of one minibatch size of {@link FusedConvStep}, allocated once: per convolution {@code i} its
 * NCHW input {@code in[i]} and input gradient {@code dIn[i]} on the heap ({@code in[convs]} is the flat
 * input of the first dense layer), its column matrix, GEMM output and weight gradient natively; then the
 * dense layers' activations as in {@link FusedPolicyStep}. Not thread-safe.
 */
final class ConvBuffers {
  final float[][] in;
  final float[][] dIn;
  final float[][] colsHost;
  final float[][] outHost;
  final INDArray[] cols;
  final INDArray[] out;
  final INDArray[] dW;
  final INDArray[] act;
  final INDArray[] pre;
  final INDArray[] dAct;
  final INDArray[] dPre;
  final INDArray logits2d;
  final INDArray prob;
  final INDArray prob2d;
  final int[] labels;
  final INDArray ones;
  private final int numBins;
  private final Map<INDArray, FloatPointer> pointers = new IdentityHashMap<>();

  ConvBuffers(int n, ConvGeometry[] geometry, long[] nIn, long[] nOut, int numHeads, int numBins) {
    int convs = geometry.length;
    int layers = nIn.length;
    this.numBins = numBins;
    in = new float[convs + 1][];
    dIn = new float[convs + 1][];
    colsHost = new float[convs][];
    outHost = new float[convs][];
    cols = new INDArray[convs];
    out = new INDArray[convs];
    dW = new INDArray[convs];
    for (int i = 0; i < convs; i++) {
      ConvGeometry g = geometry[i];
      in[i] = new float[n * g.inSize()];
      dIn[i] = new float[n * g.inSize()];
      colsHost[i] = new float[n * g.outPixels() * g.patchSize()];
      outHost[i] = new float[n * g.outSize()];
      cols[i] = Nd4j.create(DataType.FLOAT, new long[] {(long) n * g.outPixels(), g.patchSize()}, 'c');
      out[i] = Nd4j.create(DataType.FLOAT, new long[] {(long) n * g.outPixels(), g.outChannels()}, 'c');
      dW[i] = Nd4j.create(DataType.FLOAT, new long[] {g.outChannels(), g.patchSize()}, 'c');
    }
    in[convs] = new float[Math.toIntExact(n * nIn[convs])];
    dIn[convs] = new float[Math.toIntExact(n * nIn[convs])];
    act = new INDArray[layers + 1];
    pre = new INDArray[layers];
    dAct = new INDArray[layers];
    dPre = new INDArray[layers];
    act[convs] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[convs]}, 'c');
    dAct[convs] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[convs]}, 'c');
    for (int i = convs; i < layers; i++) {
      act[i + 1] = Nd4j.create(DataType.FLOAT, new long[] {n, nOut[i]}, 'c');
      if (i > convs) {
        pre[i] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[i]}, 'c');
        dAct[i] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[i]}, 'c');
        dPre[i] = Nd4j.create(DataType.FLOAT, new long[] {n, nIn[i]}, 'c');
      }
    }
    logits2d = act[layers].reshape('c', (long) n * numHeads, numBins);
    prob = Nd4j.create(DataType.FLOAT, new long[] {n, (long) numHeads * numBins}, 'c');
    prob2d = prob.reshape('c', (long) n * numHeads, numBins);
    labels = new int[n * numHeads];
    ones = Nd4j.ones(DataType.FLOAT, 1, n);
  }

  /** The host pointer of one of these arrays (created contiguous, so element 0 is the data's start). */
  FloatPointer pointer(INDArray a) {
    return pointers.computeIfAbsent(a, FlatAdam::pointer);
  }

  /**
   * Softmax of the logits per (example, head) row into {@code prob}; returns the mean log-loss at the
   * label entries and leaves {@code prob - onehot} in {@code prob}.
   */
  double softmaxLoss(int n, int numHeads) {
    Nd4j.exec(new SoftMax(logits2d, prob2d, 1));
    FloatPointer probs = pointer(prob);
    FloatPointer logits = pointer(act[act.length - 1]);
    double sum = 0;
    for (int r = 0; r < labels.length; r++) {
      int idx = labels[r];
      float p = probs.get(idx);
      sum += p > 0 ? -Math.log(p) : exactRowLoss(logits, r, idx);
      probs.put(idx, p - 1f);
    }
    return sum / ((double) n * numHeads);
  }

  /** Exact log-loss of one (example, head) row from its logits, for a probability that underflowed to 0. */
  private double exactRowLoss(FloatPointer logits, int row, int labelIndex) {
    int start = row * numBins;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < numBins; j++) {
      max = Math.max(max, logits.get(start + j));
    }
    double sumExp = 0;
    for (int j = 0; j < numBins; j++) {
      sumExp += Math.exp(logits.get(start + j) - max);
    }
    return max + Math.log(sumExp) - logits.get(labelIndex);
  }
}
