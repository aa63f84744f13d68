package dev.quill.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The SQIL objective over factorized action tokens (Park et al., ICCV 2025, Eqs. 3, 6, 7):
 * {@code L = L_QAT + alpha * L_QRD} per example, where {@code L_QAT} is the token log-loss of
 * {@link FactorizedTokenCrossEntropy} and {@code L_QRD} is the discrepancy to the full-precision teacher's
 * logits, the mean over heads and vocabulary of the squared logit difference (the official code's choice):
 * {@code (1 / (D B)) sum (z - z_FP)^2}, or another {@link TeacherDistance} ({@code kl} over the per-head
 * softmaxes, {@code probMse}). {@code alpha} is per example: beta for the salient states (top p of
 * SIS), 1 otherwise; 0 turns distillation off (plain QAT), 1 everywhere is uniform distillation (QBC).
 *
 * <p>Labels are packed in one array of width {@code D + D * B + 1}: the D token indices, the teacher's
 * {@code D * B} logits, then alpha. Gradient: {@code (softmax - onehot) / D + alpha dD/dz}, e.g.
 * {@code 2 alpha (z - z_FP) / (D B)} for the logit distance.
 * Use with an identity activation on the output layer.
 */
public final class DistilledTokenCrossEntropy implements org.nd4j.linalg.lossfunctions.ILossFunction {
  private static final long serialVersionUID = 1L;

  @JsonProperty("numHeads")
  private int numHeads;

  @JsonProperty("numBins")
  private int numBins;

  @JsonProperty("distance")
  private String distance = "logitMse";

  /** For JSON deserialization of network configurations only. */
  public DistilledTokenCrossEntropy() {}

  /** A loss over {@code numHeads} heads of {@code numBins} classes each, with the logit distance. */
  public DistilledTokenCrossEntropy(int numHeads, int numBins) {
    this(numHeads, numBins, "logitMse");
  }

  /** A loss over {@code numHeads} heads of {@code numBins} classes each, with a {@link TeacherDistance}. */
  public DistilledTokenCrossEntropy(int numHeads, int numBins, String distance) {
    if (numHeads < 1 || numBins < 2) {
      throw new IllegalArgumentException("numHeads must be >= 1 and numBins >= 2, got " + numHeads + " and " + numBins);
    }
    this.numHeads = numHeads;
    this.numBins = numBins;
    this.distance = TeacherDistance.check(distance);
  }

  /** The distance to the teacher: logitMse, kl or probMse. */
  public String distance() {
    return distance;
  }

  /** Number of token heads D. */
  public int numHeads() {
    return numHeads;
  }

  /** Classes per head B. */
  public int numBins() {
    return numBins;
  }

  /** Width of the packed label array: tokens, teacher logits, alpha. */
  public int labelWidth() {
    return numHeads + numHeads * numBins + 1;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
    INDArray scores = computeScoreArray(labels, preOutput, activationFn, mask);
    double sum = scores.sumNumber().doubleValue();
    return average ? sum / scores.size(0) : sum;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    checkWidth(labels);
    INDArray ce = ce().computeScoreArray(tokens(labels), preOutput, activationFn, mask);
    INDArray z = activationFn.getActivation(preOutput.dup('c'), false);
    INDArray qrd = TeacherDistance.score(distance, z, teacher(labels), numHeads, numBins).muliColumnVector(alpha(labels));
    if (mask != null) {
      qrd.muliColumnVector(mask.reshape(mask.length(), 1));
    }
    return ce.addi(qrd);
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    checkWidth(labels);
    INDArray grad = ce().computeGradient(tokens(labels), preOutput, activationFn, mask);
    INDArray z = activationFn.getActivation(preOutput.dup('c'), false);
    INDArray dQrd = TeacherDistance.gradient(distance, z, teacher(labels), numHeads, numBins).muliColumnVector(alpha(labels));
    if (mask != null) {
      dQrd.muliColumnVector(mask.reshape(mask.length(), 1));
    }
    return grad.addi(activationFn.backprop(preOutput.dup('c'), dQrd).getFirst());
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  @Override
  public String name() {
    return toString();
  }

  private FactorizedTokenCrossEntropy ce() {
    return new FactorizedTokenCrossEntropy(numHeads, numBins);
  }

  private INDArray tokens(INDArray labels) {
    return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, numHeads)).dup('c');
  }

  private INDArray teacher(INDArray labels) {
    return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(numHeads, numHeads + (long) numHeads * numBins)).dup('c');
  }

  private INDArray alpha(INDArray labels) {
    return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(labelWidth() - 1, labelWidth())).dup('c');
  }

  private void checkWidth(INDArray labels) {
    if (labels.rank() != 2 || labels.size(1) != labelWidth()) {
      throw new IllegalArgumentException("labels must have width numHeads + numHeads * numBins + 1 = " + labelWidth()
          + " (tokens, teacher logits, alpha), got shape " + java.util.Arrays.toString(labels.shape()));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistilledTokenCrossEntropy other && numHeads == other.numHeads && numBins == other.numBins
        && distance.equals(other.distance);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * numHeads + numBins + 17) + distance.hashCode();
  }

  @Override
  public String toString() {
    return "DistilledTokenCrossEntropy(numHeads=" + numHeads + ", numBins=" + numBins + ", distance=" + distance + ")";
  }
}
