package dev.quill.train;

import dev.quill.nn.qat.FakeQuantOps;
import dev.quill.nn.qat.FakeQuantWeights;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference forward pass of a convolutional token policy that {@link FusedConvStep} supports, computed
 * the way {@link FusedConvStep} computes its forward pass (Java im2col + one GEMM per convolution, see
 * {@link ConvGeometry}) instead of DL4J's {@code output}, whose native im2col makes it about 10x slower
 * on the generic x86-64 build (README, "Image observations"). Same logits as {@code network.output} up to
 * float rounding ({@code ConvForwardTest}), low-bit students included (their fake-quantized weights are
 * quantized once per call, as DL4J's weight-noise hook does in inference). Reads the network's current parameters on every call and
 * allocates its arrays per call, so it is as thread-safe as concurrent reads of the network.
 */
public final class ConvForward {
  private static final int CHUNK = 256;
  private final MultiLayerNetwork network;
  private final int convs;
  private final ConvGeometry[] geometry;

  private ConvForward(MultiLayerNetwork network) {
    this.network = network;
    this.convs = FusedConvSupport.convLayers(network);
    this.geometry = new ConvGeometry[convs];
    FeedForwardToCnnPreProcessor in = (FeedForwardToCnnPreProcessor) network.getLayerWiseConfigurations()
        .getInputPreProcess(0);
    int c = (int) in.getNumChannels();
    int h = (int) in.getInputHeight();
    int w = (int) in.getInputWidth();
    for (int i = 0; i < convs; i++) {
      ConvolutionLayer cl = (ConvolutionLayer) network.getLayer(i).conf().getLayer();
      geometry[i] = new ConvGeometry(c, h, w, (int) cl.getNOut(), cl.getKernelSize()[0], cl.getKernelSize()[1],
          cl.getStride()[0], cl.getStride()[1], cl.getPadding()[0], cl.getPadding()[1]);
      c = (int) cl.getNOut();
      h = geometry[i].outHeight();
      w = geometry[i].outWidth();
    }
  }

  /** The fast forward pass for {@code network}, or empty when {@link FusedConvStep} does not support it. */
  public static Optional<ConvForward> of(MultiLayerNetwork network) {
    return FusedConvSupport.unsupportedReason(network).isEmpty() ? Optional.of(new ConvForward(network))
        : Optional.empty();
  }

  /** The output layer's values ({@code [n, D * B]} row-major) for normalized states {@code x} ({@code [n, C*H*W]}). */
  public float[] output(INDArray x) {
    int n = (int) x.size(0);
    int sd = geometry[0].inSize();
    if (x.size(1) != sd) {
      throw new IllegalArgumentException("states of dimension " + x.size(1) + ", the network expects " + sd);
    }
    float[] states = x.dup('c').data().asFloat();
    INDArray[] weights = weights();
    int width = (int) ((FeedForwardLayer) network.getLayer(network.getnLayers() - 1).conf().getLayer()).getNOut();
    float[] out = new float[n * width];
    for (int from = 0; from < n; from += CHUNK) {
      int m = Math.min(CHUNK, n - from);
      float[] chunk = java.util.Arrays.copyOfRange(states, from * sd, (from + m) * sd);
      float[] z = chunk(chunk, m, weights);
      System.arraycopy(z, 0, out, from * width, z.length);
    }
    return out;
  }

  /**
   * Each layer's weights as DL4J's forward pass sees them: the parameter, or its fake-quantized copy
   * ({@link FakeQuantOps}, the function {@link FakeQuantWeights} applies in training and inference alike) for a
   * layer of a low-bit student.
   */
  private INDArray[] weights() {
    INDArray[] w = new INDArray[network.getnLayers()];
    for (int i = 0; i < w.length; i++) {
      w[i] = network.getLayer(i).getParam("W");
      if (((BaseLayer) network.getLayer(i).conf().getLayer()).getWeightNoise() instanceof FakeQuantWeights q) {
        w[i] = FakeQuantOps.fakeQuantize(w[i], q.getBits(), q.isPerChannel());
      }
    }
    return w;
  }

  private float[] chunk(float[] in, int n, INDArray[] weights) {
    for (int i = 0; i < convs; i++) {
      ConvGeometry g = geometry[i];
      int k = g.patchSize();
      int o = g.outChannels();
      int p = g.outPixels();
      float[] cols = new float[n * p * k];
      g.im2col(in, n, cols);
      INDArray colsArr = Nd4j.create(cols, new long[] {(long) n * p, k}, 'c');
      INDArray res = Nd4j.create(DataType.FLOAT, new long[] {(long) n * p, o}, 'c');
      Nd4j.gemm(colsArr, weights[i].reshape('c', o, k), res, false, true, 1.0, 0.0);
      float[] r = new float[n * p * o];
      new FloatPointer(res.data().addressPointer()).get(r, 0, r.length);
      float[] bias = network.getLayer(i).getParam("b").toFloatVector();
      float[] next = new float[n * g.outSize()];
      for (int e = 0; e < n; e++) {
        for (int q = 0; q < p; q++) {
          int row = (e * p + q) * o;
          for (int c = 0; c < o; c++) {
            float v = r[row + c] + bias[c];
            next[(e * o + c) * p + q] = v > 0 ? v : 0f;
          }
        }
      }
      in = next;
    }
    INDArray a = Nd4j.create(in, new long[] {n, in.length / n}, 'c');
    for (int i = convs; i < network.getnLayers(); i++) {
      INDArray wt = weights[i];
      INDArray z = Nd4j.create(DataType.FLOAT, new long[] {n, wt.size(1)}, 'c');
      Nd4j.gemm(a, wt, z, false, false, 1.0, 0.0);
      z.addiRowVector(network.getLayer(i).getParam("b"));
      if (i < network.getnLayers() - 1) {
        Nd4j.exec(new RectifiedLinear(z, z));
      }
      a = z;
    }
    return a.data().asFloat();
  }
}
