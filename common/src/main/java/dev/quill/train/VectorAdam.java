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
   * whole float vectors; {@code c} holds beta1, beta2, 1 - beta1, 1 - beta2, epsilon and alpha_t.
   */
  static void update(ByteBuffer[] grads, ByteBuffer params, float[] m, float[] v, int lo, int hi, float[] c) {
    float beta1 = c[0];
    float beta2 = c[1];
    float oneMinusBeta1 = c[2];
    float oneMinusBeta2 = c[3];
    float eps = c[4];
    float alphaT = c[5];
    int i = lo;
    int step = S.length();
    for (; i + step <= hi; i += step) {
      int at = i * Float.BYTES;
      FloatVector g = FloatVector.fromByteBuffer(S, grads[0], at, ORDER);
      for (int k = 1; k < grads.length; k++) {
        g = g.add(FloatVector.fromByteBuffer(S, grads[k], at, ORDER));
      }
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(g.mul(oneMinusBeta1));
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(g.mul(g).mul(oneMinusBeta2));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector p = FloatVector.fromByteBuffer(S, params, at, ORDER);
      p.sub(mi.mul(alphaT).div(vi.lanewise(VectorOperators.SQRT).add(eps))).intoByteBuffer(params, at, ORDER);
    }
    for (; i < hi; i++) {
      int at = i * Float.BYTES;
      float gi = grads[0].getFloat(at);
      for (int k = 1; k < grads.length; k++) {
        gi += grads[k].getFloat(at);
      }
      float mi = beta1 * m[i] + gi * oneMinusBeta1;
      float vi = beta2 * v[i] + gi * gi * oneMinusBeta2;
      m[i] = mi;
      v[i] = vi;
      params.putFloat(at, params.getFloat(at) - mi * alphaT / ((float) Math.sqrt(vi) + eps));
    }
  }
}
