package dev.quill.runtime;

import java.util.Arrays;

/**
 * One fully connected layer {@code y = act(x W + b)} with {@code W} of shape {@code [nIn, nOut]} (DL4J's
 * layout), fp32 biases and weights stored as {@link WeightFormat}. Immutable and thread-safe.
 *
 * <p>Quantized weights are integer levels {@code q} with float scales: {@code W[i][o] = s_o * q[i][o]}
 * (per output channel) or {@code s * q[i][o]} (per tensor), the symmetric grid of Quill's fake quantization
 * (Park et al., ICCV 2025). The forward pass multiplies the float activations by the integer levels and
 * applies the scale once per output: {@code y_o = act(s_o * sum_i x_i q[i][o] + b_o)}.
 *
 * <p>Storage: fp32 and int8 are row-major {@code [nIn][nOut]}. int4 packs each input row into
 * {@code h = ceil(nOut / 2)} bytes: byte {@code k} holds output {@code k} in its low nibble and output
 * {@code k + h} in its high nibble (two's complement, 0 when {@code k + h >= nOut}), so both halves of a row
 * are contiguous and the inner loops are plain {@code axpy}s the JIT can vectorize.
 *
 * <p>A hidden layer may carry an {@link ActivationQuantizer} (LSQ, Esser et al., ICLR 2020), applied to the
 * outputs after the activation, as the DL4J network's LSQ layer that follows it ({@link #withQuantizer}).
 */
public final class DenseLayer {
  /**
   * Whether the Vector API kernels ({@link VectorKernels}) run: the JVM was started with
   * {@code --add-modules jdk.incubator.vector}, the CPU has 8-lane float vectors, and
   * {@code -Dquill.runtime.scalar=true} is not set. Results are identical either way.
   */
  public static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !Boolean.getBoolean("quill.runtime.scalar") && VectorKernels.usable();

  private final int nIn;
  private final int nOut;
  private final WeightFormat format;
  private final Activation activation;
  private final float[] weights;
  private final byte[] levels;
  private final float[] scales;
  private final float[] channelScales;
  private final float[] bias;
  private final ActivationQuantizer quantizer;

  private DenseLayer(int nIn, int nOut, WeightFormat format, Activation activation, float[] weights, byte[] levels,
      float[] scales, float[] bias, ActivationQuantizer quantizer) {
    if (nIn < 1 || nOut < 1) {
      throw new IllegalArgumentException("dense layer: nIn and nOut must be >= 1, got " + nIn + " and " + nOut);
    }
    if (bias.length != nOut) {
      throw new IllegalArgumentException("dense layer: " + bias.length + " biases for " + nOut + " outputs");
    }
    this.nIn = nIn;
    this.nOut = nOut;
    this.format = format;
    this.activation = activation;
    this.weights = weights;
    this.levels = levels;
    this.scales = scales;
    this.bias = bias.clone();
    this.quantizer = quantizer;
    this.channelScales = new float[nOut];
    if (scales != null) {
      if (scales.length != 1 && scales.length != nOut) {
        throw new IllegalArgumentException("dense layer: " + scales.length + " scales, expected 1 or " + nOut);
      }
      for (int o = 0; o < nOut; o++) {
        channelScales[o] = scales.length == 1 ? scales[0] : scales[o];
      }
    }
  }

  /** An fp32 layer; {@code weights} is row-major {@code [nIn][nOut]}. */
  public static DenseLayer fp32(int nIn, int nOut, Activation activation, float[] weights, float[] bias) {
    if (weights.length != nIn * nOut) {
      throw new IllegalArgumentException("dense layer: " + weights.length + " weights for [" + nIn + ", " + nOut + "]");
    }
    return new DenseLayer(nIn, nOut, WeightFormat.FP32, activation, weights.clone(), null, null, bias, null);
  }

  /**
   * A quantized layer from integer levels {@code q} (row-major {@code [nIn][nOut]}, one int each) and scales
   * (1 = per tensor, {@code nOut} = per channel); int4 levels must lie in [-8, 7], int8 in [-128, 127].
   */
  public static DenseLayer quantized(int nIn, int nOut, WeightFormat format, Activation activation, int[] q,
      float[] scales, float[] bias) {
    if (format == WeightFormat.FP32) {
      throw new IllegalArgumentException("dense layer: quantized() needs int8 or int4, got fp32");
    }
    if (q.length != nIn * nOut) {
      throw new IllegalArgumentException("dense layer: " + q.length + " levels for [" + nIn + ", " + nOut + "]");
    }
    int lo = format == WeightFormat.INT4 ? -8 : -128;
    int hi = format == WeightFormat.INT4 ? 7 : 127;
    for (int k = 0; k < q.length; k++) {
      if (q[k] < lo || q[k] > hi) {
        throw new IllegalArgumentException("dense layer: level " + q[k] + " at [" + (k / nOut) + ", " + (k % nOut)
            + "] outside the " + format.name().toLowerCase() + " range [" + lo + ", " + hi + "]");
      }
    }
    byte[] packed;
    if (format == WeightFormat.INT8) {
      packed = new byte[q.length];
      for (int k = 0; k < q.length; k++) {
        packed[k] = (byte) q[k];
      }
    } else {
      int h = (nOut + 1) / 2;
      packed = new byte[nIn * h];
      for (int i = 0; i < nIn; i++) {
        for (int k = 0; k < h; k++) {
          int low = q[i * nOut + k] & 0xF;
          int high = k + h < nOut ? q[i * nOut + k + h] & 0xF : 0;
          packed[i * h + k] = (byte) (low | (high << 4));
        }
      }
    }
    return fromStorage(nIn, nOut, format, activation, null, packed, scales, bias);
  }

  /** A layer from its stored form (what {@link ArtifactFormat} reads); arrays are taken as they are. */
  static DenseLayer fromStorage(int nIn, int nOut, WeightFormat format, Activation activation, float[] weights,
      byte[] levels, float[] scales, float[] bias) {
    int expected = format == WeightFormat.INT4 ? nIn * ((nOut + 1) / 2) : nIn * nOut;
    int got = format == WeightFormat.FP32 ? (weights == null ? -1 : weights.length) : (levels == null ? -1 : levels.length);
    if (got != expected) {
      throw new IllegalArgumentException("dense layer [" + nIn + ", " + nOut + "] " + format + ": " + got
          + " stored weights, expected " + expected);
    }
    if (format != WeightFormat.FP32 && scales == null) {
      throw new IllegalArgumentException("dense layer: quantized weights need scales");
    }
    return new DenseLayer(nIn, nOut, format, activation, weights, levels, scales, bias, null);
  }

  /** This layer with its outputs quantized by {@code q} after the activation (null: none); shares the weights. */
  public DenseLayer withQuantizer(ActivationQuantizer q) {
    return new DenseLayer(nIn, nOut, format, activation, weights, levels, scales, bias, q);
  }

  /** The activation quantizer applied after the activation, or null. */
  public ActivationQuantizer quantizer() {
    return quantizer;
  }

  /** Inputs. */
  public int nIn() {
    return nIn;
  }

  /** Outputs. */
  public int nOut() {
    return nOut;
  }

  /** Weight storage. */
  public WeightFormat format() {
    return format;
  }

  /** Activation. */
  public Activation activation() {
    return activation;
  }

  /** Stored fp32 weights (no copy; do not modify), or null when quantized. */
  float[] storedWeights() {
    return weights;
  }

  /** Stored (packed) levels (no copy; do not modify), or null for fp32. */
  byte[] storedLevels() {
    return levels;
  }

  /** Stored scales (no copy), null for fp32. */
  float[] storedScales() {
    return scales;
  }

  /** Scales as stored (1 = per tensor, {@code nOut} = per channel; copy), or null for fp32. */
  public float[] scales() {
    return scales == null ? null : scales.clone();
  }

  /** Biases (copy). */
  public float[] bias() {
    return bias.clone();
  }

  /** Biases (no copy). */
  float[] storedBias() {
    return bias;
  }

  /** Integer level of weight {@code [i][o]} (quantized layers). */
  public int level(int i, int o) {
    if (format == WeightFormat.INT8) {
      return levels[i * nOut + o];
    }
    int h = (nOut + 1) / 2;
    byte b = o < h ? levels[i * h + o] : levels[i * h + o - h];
    return o < h ? (byte) (b << 4) >> 4 : b >> 4;
  }

  /** The effective weight {@code [i][o]} (scale times level for quantized layers). */
  public float weight(int i, int o) {
    return format == WeightFormat.FP32 ? weights[i * nOut + o] : channelScales[o] * level(i, o);
  }

  /**
   * Computes {@code y[0..nOut) = act(x[0..nIn) W + b)}, then quantizes it when the layer has a quantizer;
   * {@code x} and {@code y} must differ. Allocates nothing.
   */
  public void forward(float[] x, float[] y) {
    Arrays.fill(y, 0, nOut, 0f);
    accumulate(x, y, VECTORIZED);
    if (format == WeightFormat.FP32) {
      for (int o = 0; o < nOut; o++) {
        y[o] += bias[o];
      }
    } else {
      for (int o = 0; o < nOut; o++) {
        y[o] = y[o] * channelScales[o] + bias[o];
      }
    }
    if (activation == Activation.RELU) {
      for (int o = 0; o < nOut; o++) {
        y[o] = Math.max(y[o], 0f);
      }
    }
    if (quantizer != null) {
      quantizer.apply(y, nOut);
    }
  }

  /** {@code y[0..nOut) += x W} (levels for quantized layers) with the vector or the scalar loops. */
  void accumulate(float[] x, float[] y, boolean vectorized) {
    switch (format) {
      case FP32 -> {
        if (vectorized) {
          VectorKernels.fp32(x, weights, y, nIn, nOut);
        } else {
          accumulateFp32(x, y);
        }
      }
      case INT8 -> {
        if (vectorized) {
          VectorKernels.int8(x, levels, y, nIn, nOut);
        } else {
          accumulateInt8(x, y);
        }
      }
      case INT4 -> {
        if (vectorized) {
          VectorKernels.int4(x, levels, y, nIn, nOut);
        } else {
          accumulateInt4(x, y);
        }
      }
      default -> throw new IllegalStateException(format.name());
    }
  }

  private void accumulateFp32(float[] x, float[] y) {
    final float[] w = weights;
    final int n = nOut;
    for (int i = 0; i < nIn; i++) {
      float xi = x[i];
      if (xi == 0f) {
        continue;
      }
      int base = i * n;
      for (int o = 0; o < n; o++) {
        y[o] += xi * w[base + o];
      }
    }
  }

  private void accumulateInt8(float[] x, float[] y) {
    final byte[] q = levels;
    final int n = nOut;
    for (int i = 0; i < nIn; i++) {
      float xi = x[i];
      if (xi == 0f) {
        continue;
      }
      int base = i * n;
      for (int o = 0; o < n; o++) {
        y[o] += xi * q[base + o];
      }
    }
  }

  private void accumulateInt4(float[] x, float[] y) {
    final byte[] p = levels;
    final int h = (nOut + 1) / 2;
    final int rest = nOut - h;
    for (int i = 0; i < nIn; i++) {
      float xi = x[i];
      if (xi == 0f) {
        continue;
      }
      int base = i * h;
      for (int k = 0; k < h; k++) {
        y[k] += xi * ((byte) (p[base + k] << 4) >> 4);
      }
      for (int k = 0; k < rest; k++) {
        y[h + k] += xi * (p[base + k] >> 4);
      }
    }
  }
}
