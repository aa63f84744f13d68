package dev.quill.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Negative log-likelihood of a diagonal Gaussian (the probabilistic dynamics models of PETS, Chua et
 * al. 2018; here the token-conditioned transition model {@code M(x' | x, y)} of Cao &amp; Xie 2026,
 * Algorithm 1, papers.md B8). The output layer emits {@code 2 * dim} values per example: the mean
 * {@code mu} (columns {@code [0, dim)}) and the log-variance {@code v} (columns {@code [dim, 2 dim)});
 * labels are {@code [mb, dim]}. The loss of an example is the mean over dimensions of
 * {@code 0.5 * (v + (y - mu)^2 exp(-v) + ln 2 pi)}; gradients {@code dL/dmu = -(y - mu) exp(-v) / dim},
 * {@code dL/dv = 0.5 (1 - (y - mu)^2 exp(-v)) / dim}. Use with an identity activation. Masks are per
 * example ({@code [mb, 1]}).
 */
public final class GaussianNegLogLikelihood implements ILossFunction {
  private static final long serialVersionUID = 1L;
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  @JsonProperty("dim")
  private int dim;

  /** For JSON deserialization of network configurations only. */
  public GaussianNegLogLikelihood() {}

  /** A loss over {@code dim}-dimensional Gaussian targets. */
  public GaussianNegLogLikelihood(int dim) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    this.dim = dim;
  }

  /** Target dimension. */
  public int getDim() {
    return dim;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
    INDArray scores = computeScoreArray(labels, preOutput, activationFn, mask);
    double sum = scores.sumNumber().doubleValue();
    return average ? sum / scores.size(0) : sum;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    Parts p = parts(labels, preOutput, activationFn);
    INDArray perDim = p.logVar.add(p.err.mul(p.err).muli(p.invVar)).muli(0.5).addi(HALF_LOG_2PI);
    INDArray perExample = perDim.sum(1).reshape(perDim.size(0), 1).divi(dim);
    return mask == null ? perExample : perExample.muli(mask.reshape(perDim.size(0), 1));
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    Parts p = parts(labels, preOutput, activationFn);
    INDArray dMu = p.err.mul(p.invVar).negi().divi(dim);
    INDArray dVar = p.err.mul(p.err).muli(p.invVar).rsubi(1.0).muli(0.5 / dim);
    INDArray grad = org.nd4j.linalg.factory.Nd4j.hstack(dMu, dVar);
    if (mask != null) {
      grad.muliColumnVector(mask.reshape(grad.size(0), 1).castTo(grad.dataType()));
    }
    return activationFn.backprop(preOutput.dup('c'), grad).getFirst();
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  private Parts parts(INDArray labels, INDArray preOutput, IActivation activationFn) {
    if (preOutput.size(1) != 2L * dim || labels.size(1) != dim || labels.size(0) != preOutput.size(0)) {
      throw new IllegalArgumentException("Gaussian NLL over " + dim + " dims needs outputs [mb, " + (2 * dim) + "] and labels [mb, "
          + dim + "], got " + java.util.Arrays.toString(preOutput.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
    }
    INDArray out = activationFn.getActivation(preOutput.dup('c'), true);
    INDArray mu = out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, dim));
    INDArray logVar = out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(dim, 2 * dim)).dup('c');
    INDArray err = labels.castTo(out.dataType()).sub(mu);
    return new Parts(err, logVar, Transforms.exp(logVar.neg(), false));
  }

  @Override
  public String name() {
    return toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GaussianNegLogLikelihood other && dim == other.dim;
  }

  @Override
  public int hashCode() {
    return dim;
  }

  @Override
  public String toString() {
    return "GaussianNegLogLikelihood(dim=" + dim + ")";
  }

  private record Parts(INDArray err, INDArray logVar, INDArray invVar) {}
}
