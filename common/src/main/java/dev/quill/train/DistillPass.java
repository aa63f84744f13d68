package dev.quill.train;

import dev.quill.loss.DistilledTokenCrossEntropy;
import dev.quill.loss.TeacherDistance;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The distillation term of {@link DistilledTokenCrossEntropy} in a fused step, run after the softmax and
 * log-loss pass: {@code alpha_i * D(z_i, t_i)} per example (L_QRD of Park et al., ICCV 2025, Eq. 7) with
 * {@code D} the loss's {@link TeacherDistance} (the same code DL4J's {@code fit} runs, so value and gradient
 * agree; {@code logitMse}, the default, as one loop with its formulas over host copies), the teacher's logits {@code t_i} and {@code alpha_i} read from the example's label row (tokens,
 * {@code D * B} teacher logits, alpha; the layout {@code StudentExamples} writes). It adds
 * {@code alpha_i dD/dz_i / total} to the logit gradient, {@code total} being the minibatch size DL4J divides
 * by. Not thread-safe: one per lane.
 */
final class DistillPass {
  private final String distance;
  private final int heads;
  private final int bins;
  private final int width;
  private final Map<Integer, float[][]> host = new HashMap<>();

  private DistillPass(DistilledTokenCrossEntropy loss) {
    this.distance = loss.distance();
    this.heads = loss.numHeads();
    this.bins = loss.numBins();
    this.width = loss.labelWidth();
  }

  /** The pass for {@code network}'s output loss, or {@code null} if the loss is not distilled. */
  static DistillPass forNetwork(MultiLayerNetwork network) {
    OutputLayer out = (OutputLayer) network.getLayer(network.getnLayers() - 1).conf().getLayer();
    return out.getLossFn() instanceof DistilledTokenCrossEntropy d ? new DistillPass(d) : null;
  }

  /**
   * Adds the distillation gradient of examples {@code order[from] .. order[from + n - 1]} of {@code block} to
   * {@code delta} ({@code [n, D * B]}, the logit gradient of the token loss) given their logits
   * {@code [n, D * B]}.
   *
   * @return {@code sum_i alpha_i D(z_i, t_i)} over the {@code n} examples
   * @throws IllegalArgumentException naming the example if its alpha is negative or not finite
   */
  double apply(ExampleBlock block, int[] order, int from, int n, int total, INDArray logits, INDArray delta) {
    int logitCount = heads * bins;
    float[][] h = host.computeIfAbsent(n, k -> new float[][] {new float[k * logitCount], new float[k],
        new float[k * logitCount], new float[k * logitCount]});
    float[] teacher = h[0];
    float[] alpha = h[1];
    float[] labels = block.tokens();
    for (int k = 0; k < n; k++) {
      int src = order[from + k];
      System.arraycopy(labels, src * width + heads, teacher, k * logitCount, logitCount);
      alpha[k] = labels[src * width + width - 1];
      if (!(alpha[k] >= 0) || Float.isInfinite(alpha[k])) {
        throw new IllegalArgumentException("distillation weight alpha " + alpha[k] + " of example " + src
            + " (label column " + (width - 1) + ") must be finite and >= 0");
      }
    }
    if ("logitMse".equals(distance)) {
      return logitMse(n, total, logits, delta, teacher, alpha, h[2], h[3]);
    }
    INDArray t = Nd4j.create(teacher, new long[] {n, logitCount}, 'c');
    INDArray a = Nd4j.create(alpha, new long[] {n, 1}, 'c');
    double sum = TeacherDistance.score(distance, logits, t, heads, bins).muliColumnVector(a).sumNumber().doubleValue();
    INDArray g = TeacherDistance.gradient(distance, logits, t, heads, bins).muliColumnVector(a);
    delta.addi(g.muli(1.0 / total));
    return sum;
  }

  /**
   * The default distance in one pass over host copies of logits and gradient (no temporary arrays):
   * {@code D = (1 / (D B)) sum (z - t)^2}, gradient {@code 2 (z - t) / (D B)}, the formulas of
   * {@link TeacherDistance} (the tests compare the step with DL4J's {@code fit}, which calls it).
   */
  private double logitMse(int n, int total, INDArray logits, INDArray delta, float[] teacher, float[] alpha, float[] z,
      float[] d) {
    int len = n * heads * bins;
    FloatPointer zp = FlatAdam.pointer(logits);
    FloatPointer dp = FlatAdam.pointer(delta);
    zp.get(z, 0, len);
    dp.get(d, 0, len);
    double perLogit = 1.0 / ((double) heads * bins);
    double sum = 0;
    for (int k = 0; k < n; k++) {
      if (alpha[k] == 0f) {
        continue;
      }
      double squares = 0;
      float g = (float) (2 * alpha[k] * perLogit / total);
      for (int j = k * heads * bins, end = j + heads * bins; j < end; j++) {
        float diff = z[j] - teacher[j];
        squares += (double) diff * diff;
        d[j] += g * diff;
      }
      sum += alpha[k] * squares * perLogit;
    }
    dp.put(d, 0, len);
    return sum;
  }
}
