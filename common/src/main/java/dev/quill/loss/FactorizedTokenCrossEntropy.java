package dev.quill.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Log-loss of a factorized token policy: the output layer emits {@code D * B} logits, read as D
 * consecutive groups of B (one softmax per action dimension), and the loss of an example is the mean
 * over the D heads of {@code -log softmax(z_d)[y_d]} (Cao &amp; Xie 2026, log-loss BC over quantized
 * actions; the per-dimension factorization of RT-1/OpenVLA-style bins). Averaging over heads keeps the
 * value comparable across action dimensions: chance level is {@code ln B}.
 *
 * <p>Labels are compact: shape {@code [minibatch, D]}, each entry a token index in {@code [0, B)}
 * stored as a float. The gradient with respect to the logits is exact: {@code (softmax(z_d) -
 * onehot(y_d)) / D} per head. Log-softmax is computed as {@code z - max - log(sum(exp(z - max)))},
 * which stays finite for any logits (ND4J's LogSoftMax op was seen to produce NaN in long runs).
 *
 * <p>Use with an identity activation on the output layer. Masks are per example ({@code [mb, 1]}).
 */
public final class FactorizedTokenCrossEntropy implements ILossFunction {
  private static final long serialVersionUID = 1L;

  @JsonProperty("numHeads")
  private int numHeads;

  @JsonProperty("numBins")
  private int numBins;

  /** For JSON deserialization of network configurations only. */
  public FactorizedTokenCrossEntropy() {}

  /** A loss over {@code numHeads} heads of {@code numBins} classes each. */
  public FactorizedTokenCrossEntropy(int numHeads, int numBins) {
    if (numHeads < 1 || numBins < 2) {
      throw new IllegalArgumentException("numHeads must be >= 1 and numBins >= 2, got " + numHeads + " and " + numBins);
    }
    this.numHeads = numHeads;
    this.numBins = numBins;
  }

  /** Number of heads D. */
  public int getNumHeads() {
    return numHeads;
  }

  /** Classes per head B. */
  public int getNumBins() {
    return numBins;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
    INDArray scores = computeScoreArray(labels, preOutput, activationFn, mask);
    double sum = scores.sumNumber().doubleValue();
    return average ? sum / scores.size(0) : sum;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return forward(labels, preOutput, activationFn, mask).perExample;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return backward(forward(labels, preOutput, activationFn, mask), preOutput, activationFn, mask);
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    Forward f = forward(labels, preOutput, activationFn, mask);
    double sum = f.perExample.sumNumber().doubleValue();
    double score = average ? sum / f.perExample.size(0) : sum;
    return new Pair<>(score, backward(f, preOutput, activationFn, mask));
  }

  @Override
  public String name() {
    return toString();
  }

  private Forward forward(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    long mb = preOutput.size(0);
    if (preOutput.size(1) != (long) numHeads * numBins) {
      throw new IllegalArgumentException("output has " + preOutput.size(1) + " columns, expected numHeads * numBins = "
          + numHeads + " * " + numBins);
    }
    if (labels.size(0) != mb || labels.size(1) != numHeads) {
      throw new IllegalArgumentException("labels must have shape [" + mb + ", " + numHeads + "] (one token per head), got "
          + java.util.Arrays.toString(labels.shape()));
    }
    long rows = mb * numHeads;
    INDArray out = activationFn.getActivation(preOutput.dup('c'), true);
    INDArray z = out.reshape('c', rows, numBins);
    INDArray max = z.max(1).reshape(rows, 1);
    INDArray shifted = z.subColumnVector(max);
    INDArray exp = Transforms.exp(shifted, true);
    INDArray sumExp = exp.sum(1).reshape(rows, 1);
    INDArray oneHot = oneHot(labels, rows, preOutput.dataType());
    INDArray picked = shifted.mul(oneHot).sum(1).reshape(rows, 1);
    INDArray rowLoss = Transforms.log(sumExp, true).subi(picked);
    INDArray perExample = rowLoss.reshape('c', mb, numHeads).sum(1).reshape(mb, 1).divi(numHeads);
    if (mask != null) {
      perExample.muli(perExampleMask(mask, mb));
    }
    return new Forward(perExample, exp.diviColumnVector(sumExp), oneHot);
  }

  private INDArray backward(Forward f, INDArray preOutput, IActivation activationFn, INDArray mask) {
    long mb = preOutput.size(0);
    INDArray dLdOut = f.softmax.subi(f.oneHot).divi(numHeads).reshape('c', mb, (long) numHeads * numBins);
    if (mask != null) {
      dLdOut.muliColumnVector(perExampleMask(mask, mb));
    }
    return activationFn.backprop(preOutput.dup('c'), dLdOut).getFirst();
  }

  private INDArray oneHot(INDArray labels, long rows, DataType type) {
    float[] tokens = labels.castTo(DataType.FLOAT).dup('c').data().asFloat();
    float[] hot = new float[Math.toIntExact(rows * numBins)];
    for (int r = 0; r < tokens.length; r++) {
      int t = (int) tokens[r];
      if (t < 0 || t >= numBins || t != tokens[r]) {
        throw new IllegalArgumentException("label " + tokens[r] + " of example " + (r / numHeads) + ", head " + (r % numHeads)
            + " is not a token in [0, " + (numBins - 1) + "]");
      }
      hot[r * numBins + t] = 1f;
    }
    INDArray result = Nd4j.create(hot, new long[] {rows, numBins}, 'c');
    return type == DataType.FLOAT ? result : result.castTo(type);
  }

  private static INDArray perExampleMask(INDArray mask, long mb) {
    if (mask.length() != mb) {
      throw new IllegalArgumentException("only per-example masks of length " + mb + " are supported, got shape "
          + java.util.Arrays.toString(mask.shape()));
    }
    return mask.reshape(mb, 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FactorizedTokenCrossEntropy other && numHeads == other.numHeads && numBins == other.numBins;
  }

  @Override
  public int hashCode() {
    return 31 * numHeads + numBins;
  }

  @Override
  public String toString() {
    return "FactorizedTokenCrossEntropy(numHeads=" + numHeads + ", numBins=" + numBins + ")";
  }

  private record Forward(INDArray perExample, INDArray softmax, INDArray oneHot) {}
}
