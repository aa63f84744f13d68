package dev.quill.nn.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Symmetric uniform fake quantization of a weight matrix {@code [nIn, nOut]} (dense layers) or a convolution
 * kernel {@code [nOut, nIn, kH, kW]} (DL4J's {@code ConvolutionLayer} layout) to {@code bits} bits:
 * scale {@code s = max|w| / (2^(b-1) - 1)} over the whole tensor or per output channel (a matrix's column, a
 * kernel's first index),
 * {@code w_hat = s * clip(round(w / s), -(2^(b-1) - 1), 2^(b-1) - 1)}. The grid is symmetric, so a b-bit
 * tensor uses at most {@code 2^b - 1} levels (b = 2 gives the ternary {@code {-s, 0, s}}). A tensor or
 * channel of zeros stays zero. Pure functions: inputs are not modified.
 */
public final class FakeQuantOps {
  private FakeQuantOps() {}

  /** Largest integer level of a b-bit symmetric grid, {@code 2^(b-1) - 1}. */
  public static int maxLevel(int bits) {
    if (bits < 2 || bits > 16) {
      throw new IllegalArgumentException("bits must be in [2, 16], got " + bits);
    }
    return (1 << (bits - 1)) - 1;
  }

  /** Scales per output channel ({@code [1, nOut]}) or per tensor ({@code [1, 1]}); zeros become 1. */
  public static INDArray scales(INDArray w, int bits, boolean perChannel) {
    int levels = maxLevel(bits);
    INDArray abs = Transforms.abs(w, true);
    INDArray s = perChannel ? abs.max(true, 0) : abs.max(true, 0, 1);
    s.divi(levels);
    BooleanIndexing.replaceWhere(s, 1.0, Conditions.equals(0.0));
    return s;
  }

  /** The fake-quantized copy of {@code w} (same shape and type). */
  public static INDArray fakeQuantize(INDArray w, int bits, boolean perChannel) {
    INDArray out = w.dup(w.ordering());
    fakeQuantizeInto(w, out, bits, perChannel);
    return out;
  }

  /** Writes the fake-quantized {@code w} into {@code out} (same shape). */
  public static void fakeQuantizeInto(INDArray w, INDArray out, int bits, boolean perChannel) {
    if (w.rank() == 4) {
      long nOut = w.size(0);
      INDArray matrix = w.dup('c').reshape('c', nOut, w.length() / nOut).transpose().dup('c');
      INDArray quantized = matrix.ulike();
      fakeQuantizeInto(matrix, quantized, bits, perChannel);
      out.assign(quantized.transpose().dup('c').reshape('c', w.shape()));
      return;
    }
    if (w.rank() != 2) {
      throw new IllegalArgumentException("weights must be a matrix [nIn, nOut] or a kernel [nOut, nIn, kH, kW], got rank "
          + w.rank());
    }
    int levels = maxLevel(bits);
    INDArray s = scales(w, bits, perChannel);
    out.assign(w);
    if (perChannel) {
      out.diviRowVector(s);
    } else {
      out.divi(s.getDouble(0));
    }
    Transforms.round(out, false);
    Transforms.min(out, levels, false);
    Transforms.max(out, -levels, false);
    if (perChannel) {
      out.muliRowVector(s);
    } else {
      out.muli(s.getDouble(0));
    }
  }
}
