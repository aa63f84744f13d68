package dev.quill.quant.quantile;

import dev.quill.quant.ActionTokenizer;
import java.util.Arrays;

/**
 * Equal-mass (quantile) bins per action dimension, the semantics of Spark ML's {@code QuantileDiscretizer}:
 * dimension {@code j} has edges {@code e_j[0] < e_j[1] < ... < e_j[B]} at the training actions' quantiles
 * {@code 0, 1/B, ..., 1}, so every bin holds about {@code 1/B} of the data, and each bin decodes to a
 * representative inside it (the fitter uses the quantile at the bin's middle mass, {@code (t + 0.5)/B}, the
 * median of the bin). The token is the number of interior edges {@code <= a}, so actions outside
 * {@code [e_j[0], e_j[B]]} clip to the edge bins. Where quantiles tie (a point mass), the fitter spreads the
 * tied edges by one ulp, which leaves dead bins that the audit reports.
 *
 * <p>Immutable and thread-safe.
 */
public final class QuantileBinTokenizer implements ActionTokenizer {
  private static final long serialVersionUID = 1L;
  /** Type name used in the tokenizer file. */
  public static final String TYPE = "quantile";

  private final double[][] edges;
  private final double[][] centres;

  /**
   * Creates a tokenizer from explicit edges ({@code [dim][B + 1]}) and representatives ({@code [dim][B]}).
   *
   * @throws IllegalArgumentException unless every dimension has the same B >= 2, finite strictly increasing
   *     edges, and each representative {@code c[t]} satisfies {@code e[t] <= c[t] < e[t + 1]} (or
   *     {@code <= e[B]} for the last bin)
   */
  public QuantileBinTokenizer(double[][] edges, double[][] centres) {
    if (edges.length == 0 || edges.length != centres.length) {
      throw new IllegalArgumentException("edges and centres must have the same non-zero number of dimensions, got "
          + edges.length + " and " + centres.length);
    }
    int bins = centres[0].length;
    if (bins < 2) {
      throw new IllegalArgumentException("numBins must be in [2, 65536], got " + bins);
    }
    this.edges = new double[edges.length][];
    this.centres = new double[edges.length][];
    for (int j = 0; j < edges.length; j++) {
      if (edges[j].length != bins + 1 || centres[j].length != bins) {
        throw new IllegalArgumentException("action dimension " + j + " must have " + (bins + 1) + " edges and "
            + bins + " centres, got " + edges[j].length + " and " + centres[j].length);
      }
      for (int i = 0; i <= bins; i++) {
        if (!Double.isFinite(edges[j][i]) || (i > 0 && !(edges[j][i] > edges[j][i - 1]))) {
          throw new IllegalArgumentException("edges of action dimension " + j + " must be finite and strictly increasing, "
              + "edge " + i + " is " + edges[j][i]);
        }
      }
      for (int t = 0; t < bins; t++) {
        double c = centres[j][t];
        boolean inside = c >= edges[j][t] && (t == bins - 1 ? c <= edges[j][bins] : c < edges[j][t + 1]);
        if (!inside) {
          throw new IllegalArgumentException("centre " + t + " of action dimension " + j + " is " + c
              + ", outside its bin [" + edges[j][t] + ", " + edges[j][t + 1] + ")");
        }
      }
      this.edges[j] = edges[j].clone();
      this.centres[j] = centres[j].clone();
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int actionDim() {
    return edges.length;
  }

  @Override
  public int numHeads() {
    return edges.length;
  }

  @Override
  public int vocabSize(int head) {
    return centres[head].length;
  }

  /** Bins per dimension. */
  public int numBins() {
    return centres[0].length;
  }

  /** Edges of dimension {@code j} (a copy, {@code B + 1} values). */
  public double[] edges(int j) {
    return edges[j].clone();
  }

  /** Representatives of dimension {@code j} (a copy, {@code B} values). */
  public double[] centres(int j) {
    return centres[j].clone();
  }

  @Override
  public int[] encode(double[] action) {
    if (action.length != edges.length) {
      throw new IllegalArgumentException("action has length " + action.length + ", tokenizer expects " + edges.length);
    }
    int[] tokens = new int[edges.length];
    for (int j = 0; j < edges.length; j++) {
      tokens[j] = encodeDim(j, action[j]);
    }
    return tokens;
  }

  /** Token of value {@code a} in dimension {@code j}: the number of interior edges {@code <= a}. */
  public int encodeDim(int j, double a) {
    if (!Double.isFinite(a)) {
      throw new IllegalArgumentException("action dimension " + j + " is " + a + "; actions must be finite");
    }
    double[] e = edges[j];
    int lo = 1;
    int hi = e.length - 1; // interior edges are e[1..B-1]; find the first index in [1, B) with e[i] > a
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (e[mid] <= a) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }

  @Override
  public double[] decode(int[] tokens) {
    if (tokens.length != edges.length) {
      throw new IllegalArgumentException("got " + tokens.length + " tokens, tokenizer expects " + edges.length);
    }
    double[] action = new double[edges.length];
    for (int j = 0; j < edges.length; j++) {
      int t = tokens[j];
      if (t < 0 || t >= centres[j].length) {
        throw new IllegalArgumentException("token of dimension " + j + " must be in [0, " + (centres[j].length - 1)
            + "], got " + t);
      }
      action[j] = centres[j][t];
    }
    return action;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantileBinTokenizer other && Arrays.deepEquals(edges, other.edges)
        && Arrays.deepEquals(centres, other.centres);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.deepHashCode(edges) + Arrays.deepHashCode(centres);
  }

  @Override
  public String toString() {
    return "QuantileBinTokenizer(dims=" + edges.length + ", numBins=" + numBins() + ")";
  }
}
