package dev.quill.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Adam (Kingma &amp; Ba 2015) over one flat float parameter vector, computed in Java on heap copies of
 * DL4J's Adam state. It applies ND4J's {@code adam_updater} formula, element for element:
 * {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2}, {@code update = m * a_t / (sqrt(v) + eps)}
 * with {@code a_t = lr * sqrt(1 - b2^t) / (1 - b1^t)}, {@code t = iteration + 1}. On the reference
 * machine ND4J's generic x86-64 build runs that op at about 5.7 ns per parameter (its {@code sqrt}
 * alone takes 4 ns per element), while this loop, JIT-compiled with the CPU's vector instructions, plus
 * the copies of the gradient in and the update out, takes well under half of that (README, Performance).
 * Where the JVM has the Vector API module, one pass ({@link VectorAdam}) reads the lanes' gradients and the
 * parameters in ND4J's native memory and writes the parameters back, without the plain path's heap copies: on the
 * 2-vCPU reference machine it cut the updater's share of a two-lane step from 0.55–0.66 ms to 0.38–0.50 ms (README,
 * Performance); both paths give the same bits.
 *
 * <p>The heap copies of {@code m} and {@code v} are the truth between {@link #flush} calls: call
 * {@link #flush} before anything reads or saves the network's updater state (DL4J's {@code M}/{@code V}
 * views), and build a new instance after the state was changed from outside. Not thread-safe (its
 * own lanes work on disjoint parameter ranges).
 */
final class FlatAdam {
  private final Adam config;
  private final INDArray mView;
  private final INDArray vView;
  private final float[] m;
  private final float[] v;
  private final float[] g;
  private final float[] other;
  private final float[] p;
  private final int n;
  private final boolean vector;

  /**
   * The flat Adam of {@code network}: its single updater block's Adam state (initialized first if the network has
   * not been fitted yet), over all its parameters.
   */
  static FlatAdam forNetwork(MultiLayerNetwork network) {
    UpdaterBlock block = ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks().get(0);
    if (block.getGradientUpdater() == null) {
      block.init();
    }
    return new FlatAdam((AdamUpdater) block.getGradientUpdater(), Math.toIntExact(network.numParams()));
  }

  /**
   * Copies the state of DL4J's {@code updater} (which covers all {@code n} parameters). The update takes the Vector API
   * path where the fused step's kernels do ({@link SoftmaxLoss}) unless {@code -Dquill.vectorAdam=false}.
   */
  FlatAdam(AdamUpdater updater, int n) {
    this(updater, n, SoftmaxLoss.vectorized(8) && !"false".equals(System.getProperty("quill.vectorAdam")));
  }

  /** As {@link #FlatAdam(AdamUpdater, int)}, with the Vector API path chosen by the caller (tests compare both). */
  FlatAdam(AdamUpdater updater, int n, boolean vector) {
    this.config = updater.getConfig();
    this.mView = updater.getM();
    this.vView = updater.getV();
    if (mView.length() != n || vView.length() != n) {
      throw new IllegalArgumentException("Adam state has " + mView.length() + " entries, expected " + n);
    }
    this.n = n;
    this.vector = vector;
    this.m = mView.dup().data().asFloat();
    this.v = vView.dup().data().asFloat();
    // Scratch of the plain path only: the Vector API path reads and writes ND4J's memory in place.
    this.g = vector ? null : new float[n];
    this.other = vector ? null : new float[n];
    this.p = vector ? null : new float[n];
  }

  /**
   * Applies one Adam step for 0-based {@code iteration}: the gradient is the sum of the first
   * {@code count} of {@code gradients} (contiguous float vectors of the {@code n} parameters, e.g. the
   * lanes of a data-parallel step), and the update is subtracted from {@code params} in place. The
   * parameter range is split into {@code pool.size()} contiguous parts, one per lane; every element
   * is computed by the same float expression whatever the split, so the result does not depend on the
   * number of lanes.
   */
  void apply(INDArray[] gradients, int count, INDArray params, int iteration, int epoch, LanePool pool) {
    if (count < 1 || count > gradients.length) {
      throw new IllegalArgumentException("count must be in [1, " + gradients.length + "], got " + count);
    }
    FloatPointer[] g = new FloatPointer[count];
    for (int k = 0; k < count; k++) {
      g[k] = pointer(gradients[k]);
    }
    FloatPointer p = pointer(params);
    double b1 = config.getBeta1();
    double b2 = config.getBeta2();
    double t = iteration + 1;
    double alpha = config.getLearningRate(iteration, epoch) * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
    float eps = (float) config.getEpsilon();
    float alphaT = alpha == 0 || Double.isNaN(alpha) ? eps : (float) alpha;
    int parts = pool.size();
    Coefficients c = new Coefficients((float) b1, (float) b2, (float) (1 - b1), (float) (1 - b2), eps, alphaT);
    ByteBuffer[] gb = vector ? new ByteBuffer[count] : null;
    ByteBuffer pb = vector ? buffer(p) : null;
    for (int k = 0; vector && k < count; k++) {
      gb[k] = buffer(g[k]);
    }
    pool.run(parts, part -> {
      int lo = (int) ((long) n * part / parts);
      int hi = (int) ((long) n * (part + 1) / parts);
      if (vector) {
        VectorAdam.update(gb, pb, m, v, lo, hi, c);
      } else {
        update(g, p, lo, hi, c);
      }
    });
  }

  /** Adam on parameters {@code [lo, hi)}: sums the lanes' gradients, updates m and v, subtracts the update. */
  private void update(FloatPointer[] grads, FloatPointer params, int lo, int hi, Coefficients c) {
    int len = hi - lo;
    new FloatPointer(grads[0]).position(lo).get(g, lo, len);
    for (int k = 1; k < grads.length; k++) {
      new FloatPointer(grads[k]).position(lo).get(other, lo, len);
      for (int i = lo; i < hi; i++) {
        g[i] += other[i];
      }
    }
    FloatPointer paramsAtLo = new FloatPointer(params).position(lo);
    paramsAtLo.get(p, lo, len);
    float[] m = this.m;
    float[] v = this.v;
    float[] g = this.g;
    float[] p = this.p;
    for (int i = lo; i < hi; i++) {
      float gi = g[i];
      float mi = c.m(m[i], gi);
      float vi = c.v(v[i], gi);
      m[i] = mi;
      v[i] = vi;
      p[i] = c.p(p[i], mi, vi);
    }
    paramsAtLo.put(p, lo, len);
  }

  /**
   * One step's Adam constants, rounded to float, and the per-element formulas that both update paths use, so that
   * they give the same bits: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
   * {@code p = p - m alpha_t / (sqrt(v) + eps)}.
   */
  record Coefficients(float beta1, float beta2, float oneMinusBeta1, float oneMinusBeta2, float eps, float alphaT) {
    float m(float m, float g) {
      return beta1 * m + g * oneMinusBeta1;
    }

    float v(float v, float g) {
      return beta2 * v + g * g * oneMinusBeta2;
    }

    float p(float p, float m, float v) {
      return p - m * alphaT / ((float) Math.sqrt(v) + eps);
    }
  }

  /** A direct buffer in native byte order over the {@code n} floats at {@code p}. */
  private ByteBuffer buffer(FloatPointer p) {
    return new FloatPointer(p).capacity(n).limit(n).asByteBuffer().order(ByteOrder.nativeOrder());
  }

  /** Whether {@link #apply} runs the one-pass Vector API update ({@link VectorAdam}) rather than the plain loops. */
  boolean vectorized() {
    return vector;
  }

  /** Re-reads {@code m} and {@code v} from DL4J's updater state. */
  void reload() {
    pointer(mView).get(m, 0, n);
    pointer(vView).get(v, 0, n);
  }

  /** Writes the heap copies of {@code m} and {@code v} back into DL4J's updater state. */
  void flush() {
    pointer(mView).put(m, 0, n);
    pointer(vView).put(v, 0, n);
  }

  /** A pointer to element 0 of a contiguous float vector (checked against ND4J's own read of it). */
  static FloatPointer pointer(INDArray a) {
    if (a.elementWiseStride() != 1 || a.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
      throw new IllegalArgumentException("expected a contiguous float vector, got " + a.shapeInfoToString());
    }
    FloatPointer p = new FloatPointer(a.data().addressPointer());
    long last = a.length() - 1;
    if (Float.compare(p.get(0), a.getFloat(0)) != 0 || Float.compare(p.get(last), a.getFloat(last)) != 0) {
      throw new IllegalStateException("ND4J view offset not understood: " + a.shapeInfoToString());
    }
    return p;
  }
}
