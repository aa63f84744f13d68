package dev.quill.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row softmax and log-loss on the JDK's Vector API (incubator module {@code jdk.incubator.vector}), loaded
 * only when the JVM runs with {@code --add-modules jdk.incubator.vector} ({@link SoftmaxLoss} checks). The
 * exponential is Cephes' {@code expf} (Moshier 1992): {@code n = round(x log2 e)} by the 1.5 * 2^23 rounding
 * trick, {@code r = x - n ln 2} in two parts, a degree-7 polynomial, and the exponent bits of {@code 2^n}; its
 * arguments are {@code z - max(z) <= 0}, clamped at -87 (where {@code e^x} is below 1.7e-38, less than a
 * float's rounding of the row sum, which is at least 1). Measured relative error on [-87, 0]: at most 8.1e-8.
 */
final class VectorSoftmax {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final float LOG2E = 1.44269504f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float ROUND = 12582912f;
  private static final int ROUND_BITS = 0x4B400000;

  private VectorSoftmax() {}

  /** Lanes per vector; row widths must be multiples of it. */
  static int lanes() {
    return S.length();
  }

  /** {@code e^x} per lane, for lanes {@code x <= 0}. */
  static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(-87f);
    FloatVector shifted = xc.mul(LOG2E).add(ROUND);
    FloatVector nf = shifted.sub(ROUND);
    IntVector n = shifted.reinterpretAsInts().sub(ROUND_BITS);
    FloatVector r = xc.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
    FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f).fma(r, FloatVector.broadcast(S, 1.3981999507e-3f))
        .fma(r, FloatVector.broadcast(S, 8.3334519073e-3f)).fma(r, FloatVector.broadcast(S, 4.1665795894e-2f))
        .fma(r, FloatVector.broadcast(S, 1.6666665459e-1f)).fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
    p = p.mul(r.mul(r)).add(r).add(1f);
    return p.mul(n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
  }

  /**
   * For each row {@code r} of {@code rows} rows of {@code width} logits in {@code z}: writes
   * {@code scale * (softmax(z_r) - onehot(label_r))} to {@code delta} and returns the summed log-loss
   * {@code log sum_j e^(z_rj - max) - (z_r,label - max)} over the rows. {@code labels[r]} is the flat index
   * of row {@code r}'s label entry in {@code z}.
   */
  static double run(float[] z, float[] delta, int rows, int width, int[] labels, float scale) {
    return run(z, delta, rows, width, labels, scale, null, null, 1);
  }

  /**
   * {@link #run(float[], float[], int, int, int[], float, float[], float[], int)} with the output layer's bias
   * folded in: rows cycle through {@code heads} heads ({@code r % heads}), and when {@code bias} (length
   * {@code heads * width}) is given, row {@code r}'s logits are {@code z_r + bias[(r % heads) * width ..]}, written
   * back into {@code z}; when {@code biasGrad} (same length) is given, each row's {@code delta} is added into
   * {@code biasGrad[(r % heads) * width ..]}, so that it ends as the bias gradient (the column sums of
   * {@code delta}) without a separate pass over it.
   */
  static double run(float[] z, float[] delta, int rows, int width, int[] labels, float scale, float[] bias,
      float[] biasGrad, int heads) {
    double loss = 0;
    for (int row = 0; row < rows; row++) {
      int o = row * width;
      int bo = (row % heads) * width;
      FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      if (bias != null) {
        for (int j = 0; j < width; j += S.length()) {
          FloatVector v = FloatVector.fromArray(S, z, o + j).add(FloatVector.fromArray(S, bias, bo + j));
          v.intoArray(z, o + j);
          mx = mx.max(v);
        }
      } else {
        for (int j = 0; j < width; j += S.length()) {
          mx = mx.max(FloatVector.fromArray(S, z, o + j));
        }
      }
      float max = mx.reduceLanes(VectorOperators.MAX);
      FloatVector sum = FloatVector.zero(S);
      for (int j = 0; j < width; j += S.length()) {
        FloatVector e = exp(FloatVector.fromArray(S, z, o + j).sub(max));
        e.intoArray(delta, o + j);
        sum = sum.add(e);
      }
      float total = sum.reduceLanes(VectorOperators.ADD);
      float inv = scale / total;
      int label = labels[row];
      if (biasGrad != null) {
        for (int j = 0; j < width; j += S.length()) {
          FloatVector d = FloatVector.fromArray(S, delta, o + j).mul(inv);
          d.intoArray(delta, o + j);
          FloatVector.fromArray(S, biasGrad, bo + j).add(d).intoArray(biasGrad, bo + j);
        }
        biasGrad[bo + label - o] -= scale;
      } else {
        for (int j = 0; j < width; j += S.length()) {
          FloatVector.fromArray(S, delta, o + j).mul(inv).intoArray(delta, o + j);
        }
      }
      loss += Math.log(total) - (z[label] - max);
      delta[label] -= scale;
    }
    return loss;
  }
}
