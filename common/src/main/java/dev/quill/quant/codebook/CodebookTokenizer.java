package dev.quill.quant.codebook;

import dev.quill.quant.ActionTokenizer;
import java.util.Arrays;

/**
 * Vector quantization of whole action vectors by one or more codebooks (residual VQ). Actions are
 * standardized, {@code z = (a - offset) / scale} per dimension; stage 1 encodes {@code z} to its nearest code
 * (squared Euclidean distance, ties to the lower index), and each further stage encodes the residual left by
 * the stages before it. Decoding sums the chosen codes and undoes the standardization. One stage is the
 * k-means action codebook of BeT (Shafiullah et al. 2022), type {@code kmeans}, one head of K classes; several
 * stages are the residual VQ of VQ-BeT (Lee et al. 2024) with k-means codebooks, type {@code rvq}, one head per
 * stage. Out-of-range actions need no special case: the nearest code is always defined.
 *
 * <p>Immutable and thread-safe. With one stage (and distinct codes, which the constructor checks)
 * {@code encode(decode(t)) == t}; with several stages the greedy residual encoding of a sum of codes may
 * choose other codes, so {@link #exactRoundTrip()} is false.
 */
public final class CodebookTokenizer implements ActionTokenizer {
  private static final long serialVersionUID = 1L;
  /** Type name of a single codebook. */
  public static final String TYPE_KMEANS = "kmeans";
  /** Type name of residual codebooks. */
  public static final String TYPE_RVQ = "rvq";

  private final double[] offset;
  private final double[] scale;
  private final double[][][] codebooks;

  /**
   * Creates a tokenizer.
   *
   * @param offset per-dimension offset (the training mean)
   * @param scale per-dimension positive scale (the training standard deviation, 1 where it is 0)
   * @param codebooks {@code [stage][code][dim]} codes in standardized units; each stage has at least one code,
   *     and the codes of a stage are distinct
   */
  public CodebookTokenizer(double[] offset, double[] scale, double[][][] codebooks) {
    if (offset.length == 0 || offset.length != scale.length) {
      throw new IllegalArgumentException("offset and scale must have the same non-zero length, got " + offset.length
          + " and " + scale.length);
    }
    if (codebooks.length == 0) {
      throw new IllegalArgumentException("a codebook tokenizer needs at least one stage");
    }
    for (int j = 0; j < offset.length; j++) {
      if (!Double.isFinite(offset[j]) || !(scale[j] > 0 && Double.isFinite(scale[j]))) {
        throw new IllegalArgumentException("action dimension " + j + " needs a finite offset and a positive scale, got "
            + offset[j] + " and " + scale[j]);
      }
    }
    this.offset = offset.clone();
    this.scale = scale.clone();
    this.codebooks = new double[codebooks.length][][];
    for (int s = 0; s < codebooks.length; s++) {
      if (codebooks[s].length == 0) {
        throw new IllegalArgumentException("stage " + s + " has no codes");
      }
      this.codebooks[s] = new double[codebooks[s].length][];
      for (int k = 0; k < codebooks[s].length; k++) {
        double[] c = codebooks[s][k];
        if (c.length != offset.length) {
          throw new IllegalArgumentException("code " + k + " of stage " + s + " has length " + c.length + ", expected "
              + offset.length);
        }
        for (double v : c) {
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("code " + k + " of stage " + s + " is not finite");
          }
        }
        for (int m = 0; m < k; m++) {
          if (Arrays.equals(this.codebooks[s][m], c)) {
            throw new IllegalArgumentException("codes " + m + " and " + k + " of stage " + s + " are equal");
          }
        }
        this.codebooks[s][k] = c.clone();
      }
    }
  }

  @Override
  public String type() {
    return codebooks.length == 1 ? TYPE_KMEANS : TYPE_RVQ;
  }

  @Override
  public int actionDim() {
    return offset.length;
  }

  @Override
  public int numHeads() {
    return codebooks.length;
  }

  @Override
  public int vocabSize(int head) {
    return codebooks[head].length;
  }

  @Override
  public boolean exactRoundTrip() {
    return codebooks.length == 1;
  }

  /** Per-dimension offset (a copy). */
  public double[] offset() {
    return offset.clone();
  }

  /** Per-dimension scale (a copy). */
  public double[] scale() {
    return scale.clone();
  }

  /** Codes of stage {@code s} in standardized units (a deep copy). */
  public double[][] codebook(int s) {
    double[][] copy = new double[codebooks[s].length][];
    for (int k = 0; k < copy.length; k++) {
      copy[k] = codebooks[s][k].clone();
    }
    return copy;
  }

  /** Code {@code index} of stage {@code stage} in standardized units (a copy). */
  public double[] code(int stage, int index) {
    return codebooks[stage][index].clone();
  }

  /** Standardizes {@code action}: {@code (a - offset) / scale}; rejects non-finite values naming the dimension. */
  public double[] standardize(double[] action) {
    if (action.length != offset.length) {
      throw new IllegalArgumentException("action has length " + action.length + ", tokenizer expects " + offset.length);
    }
    double[] z = new double[offset.length];
    for (int j = 0; j < z.length; j++) {
      if (!Double.isFinite(action[j])) {
        throw new IllegalArgumentException("action dimension " + j + " is " + action[j] + "; actions must be finite");
      }
      z[j] = (action[j] - offset[j]) / scale[j];
    }
    return z;
  }

  /** Index of the code of {@code stage} nearest to {@code z} (squared Euclidean, ties to the lower index). */
  public int nearest(int stage, double[] z) {
    double[][] book = codebooks[stage];
    int best = 0;
    double bestD = Double.POSITIVE_INFINITY;
    for (int k = 0; k < book.length; k++) {
      double d = 0;
      double[] c = book[k];
      for (int j = 0; j < c.length && d < bestD; j++) {
        double diff = z[j] - c[j];
        d += diff * diff;
      }
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best;
  }

  @Override
  public int[] encode(double[] action) {
    double[] r = standardize(action);
    int[] tokens = new int[codebooks.length];
    for (int s = 0; s < codebooks.length; s++) {
      tokens[s] = nearest(s, r);
      double[] c = codebooks[s][tokens[s]];
      for (int j = 0; j < r.length; j++) {
        r[j] -= c[j];
      }
    }
    return tokens;
  }

  @Override
  public double[] decode(int[] tokens) {
    if (tokens.length != codebooks.length) {
      throw new IllegalArgumentException("got " + tokens.length + " tokens, tokenizer expects " + codebooks.length);
    }
    double[] z = new double[offset.length];
    for (int s = 0; s < codebooks.length; s++) {
      if (tokens[s] < 0 || tokens[s] >= codebooks[s].length) {
        throw new IllegalArgumentException("token of stage " + s + " must be in [0, " + (codebooks[s].length - 1)
            + "], got " + tokens[s]);
      }
      double[] c = codebooks[s][tokens[s]];
      for (int j = 0; j < z.length; j++) {
        z[j] += c[j];
      }
    }
    for (int j = 0; j < z.length; j++) {
      z[j] = offset[j] + scale[j] * z[j];
    }
    return z;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CodebookTokenizer other && Arrays.equals(offset, other.offset) && Arrays.equals(scale, other.scale)
        && Arrays.deepEquals(codebooks, other.codebooks);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(offset) + Arrays.hashCode(scale)) + Arrays.deepHashCode(codebooks);
  }

  @Override
  public String toString() {
    StringBuilder sizes = new StringBuilder();
    for (double[][] book : codebooks) {
      sizes.append(sizes.length() == 0 ? "" : "x").append(book.length);
    }
    return "CodebookTokenizer(type=" + type() + ", dims=" + offset.length + ", codes=" + sizes + ")";
  }
}
