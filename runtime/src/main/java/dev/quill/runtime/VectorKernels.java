package dev.quill.runtime;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense-layer accumulation loops on the JDK's Vector API (incubator module {@code jdk.incubator.vector}),
 * loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} ({@link DenseLayer} checks the
 * boot layer first; without the module this class is never touched). Each lane computes exactly what the
 * scalar loop does, {@code y[o] + x_i * w[i][o]} with one multiply then one add in the same order, so results
 * are bit for bit the scalar ones (tested). The int8/int4 loops convert 8 or 16 bytes to floats per step
 * ({@code B2F}), which JDK 17's auto-vectorizer cannot do.
 */
final class VectorKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> B = F.length() >= 8
      ? VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * 8)) : null;

  private VectorKernels() {}

  /** Whether this CPU's preferred float vector has at least 8 lanes (else the scalar loops are used). */
  static boolean usable() {
    return B != null;
  }

  static void fp32(float[] x, float[] w, float[] y, int nIn, int nOut) {
    int bound = F.loopBound(nOut);
    for (int i = 0; i < nIn; i++) {
      float xi = x[i];
      if (xi == 0f) {
        continue;
      }
      int base = i * nOut;
      FloatVector xv = FloatVector.broadcast(F, xi);
      int o = 0;
      for (; o < bound; o += F.length()) {
        FloatVector.fromArray(F, y, o).add(FloatVector.fromArray(F, w, base + o).mul(xv)).intoArray(y, o);
      }
      for (; o < nOut; o++) {
        y[o] += xi * w[base + o];
      }
    }
  }

  static void int8(float[] x, byte[] q, float[] y, int nIn, int nOut) {
    int step = F.length();
    int bound = nOut - nOut % step;
    for (int i = 0; i < nIn; i++) {
      float xi = x[i];
      if (xi == 0f) {
        continue;
      }
      int base = i * nOut;
      FloatVector xv = FloatVector.broadcast(F, xi);
      int o = 0;
      for (; o < bound; o += step) {
        FloatVector w = (FloatVector) ByteVector.fromArray(B, q, base + o).convertShape(VectorOperators.B2F, F, 0);
        FloatVector.fromArray(F, y, o).add(w.mul(xv)).intoArray(y, o);
      }
      for (; o < nOut; o++) {
        y[o] += xi * q[base + o];
      }
    }
  }

  static void int4(float[] x, byte[] p, float[] y, int nIn, int nOut) {
    int h = (nOut + 1) / 2;
    int rest = nOut - h;
    int step = F.length();
    int boundLow = h - h % step;
    int boundHigh = rest - rest % step;
    for (int i = 0; i < nIn; i++) {
      float xi = x[i];
      if (xi == 0f) {
        continue;
      }
      int base = i * h;
      FloatVector xv = FloatVector.broadcast(F, xi);
      int k = 0;
      for (; k < boundLow; k += step) {
        ByteVector b = ByteVector.fromArray(B, p, base + k).lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, 4);
        FloatVector w = (FloatVector) b.convertShape(VectorOperators.B2F, F, 0);
        FloatVector.fromArray(F, y, k).add(w.mul(xv)).intoArray(y, k);
      }
      for (; k < h; k++) {
        y[k] += xi * ((byte) (p[base + k] << 4) >> 4);
      }
      k = 0;
      for (; k < boundHigh; k += step) {
        ByteVector b = ByteVector.fromArray(B, p, base + k).lanewise(VectorOperators.ASHR, 4);
        FloatVector w = (FloatVector) b.convertShape(VectorOperators.B2F, F, 0);
        FloatVector.fromArray(F, y, h + k).add(w.mul(xv)).intoArray(y, h + k);
      }
      for (; k < rest; k++) {
        y[h + k] += xi * (p[base + k] >> 4);
      }
    }
  }
}
