package dev.quill.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FlatAdam}'s update of one parameter range on the JDK's Vector API, in one pass over memory: it reads the lanes'
 * gradients and the parameters where ND4J keeps them (native memory, through direct buffers) and the moments from
 * the heap, and writes the moments and parameters back, with no copies in between. The plain path copies the
 * gradients and parameters to the heap and back, six passes in all. Every element is computed by the same float
 * expression as the plain loop (separate multiplies and adds, no fused multiply-add; a float square root, which
 * equals the double one rounded to float), so both paths give the same bits. Loaded only after {@link SoftmaxLoss}
 * found the module.
 */
final class VectorAdam {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private VectorAdam() {}

  /**
   * Adam on parameters {@code [lo, hi)}: {@code grads} and {@code params} are direct buffers in native order over the
   * whole float vectors.
   */
  static void update(ByteBuffer[] grads, ByteBuffer params, float[] m, float[] v, int lo, int hi, FlatAdam.Coefficients c) {
    int i = lo;
    int step = S.length();
    for (; i + step <= hi; i += step) {
      int at = i * Float.BYTES;
      FloatVector g = FloatVector.fromByteBuffer(S, grads[0], at, ORDER);
      for (int k = 1; k < grads.length; k++) {
        g = g.add(FloatVector.fromByteBuffer(S, grads[k], at, ORDER));
      }
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(c.beta1()).add(g.mul(c.oneMinusBeta1()));
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(c.beta2()).add(g.mul(g).mul(c.oneMinusBeta2()));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector p = FloatVector.fromByteBuffer(S, params, at, ORDER);
      p.sub(mi.mul(c.alphaT()).div(vi.lanewise(VectorOperators.SQRT).add(c.eps()))).intoByteBuffer(params, at, ORDER);
    }
    for (; i < hi; i++) {
      int at = i * Float.BYTES;
      float gi = grads[0].getFloat(at);
      for (int k = 1; k < grads.length; k++) {
        gi += grads[k].getFloat(at);
      }
      float mi = c.m(m[i], gi);
      float vi = c.v(v[i], gi);
      m[i] = mi;
      v[i] = vi;
      params.putFloat(at, c.p(params.getFloat(at), mi, vi));
    }
  }
}
