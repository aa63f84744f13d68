package dev.quill.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactFormatTest {
  /** A 3 -> 8 (int4) -> 6 (int8) -> 2x3 logits (fp32) model with a dithered quantile decoder. */
  static PolicyModel sample() {
    SplittableRandom rng = new SplittableRandom(1);
    int[] q1 = new int[3 * 8];
    int[] q2 = new int[8 * 6];
    float[] w3 = new float[6 * 6];
    for (int k = 0; k < q1.length; k++) {
      q1[k] = rng.nextInt(-7, 8);
    }
    for (int k = 0; k < q2.length; k++) {
      q2[k] = rng.nextInt(-127, 128);
    }
    for (int k = 0; k < w3.length; k++) {
      w3[k] = (float) rng.nextGaussian();
    }
    DenseLayer l1 = DenseLayer.quantized(3, 8, WeightFormat.INT4, Activation.RELU, q1, new float[] {0.2f}, new float[8]);
    float[] s2 = new float[6];
    java.util.Arrays.fill(s2, 0.01f);
    DenseLayer l2 = DenseLayer.quantized(8, 6, WeightFormat.INT8, Activation.RELU, q2, s2, new float[] {0, 1, 0, 1, 0, 1});
    DenseLayer out = DenseLayer.fp32(6, 6, Activation.IDENTITY, w3, new float[6]);
    double[][] edges = {{-1, 0, 0.5, 1}, {0, 1, 2, 3}};
    double[][] centres = {{-0.5, 0.25, 0.75}, {0.5, 1.5, 2.5}};
    ActionDecoder dec = new DitheredDecoder(new QuantileDecoder(edges, centres), new double[] {0.1, 0.2}, 9L);
    return new PolicyModel("{\"x\": 1}", new Normalizer(new double[] {0, 1, 2}, new double[] {1, 2, 0}), List.of(l1, l2),
        new FactorizedHead(out, new int[] {3, 3}), dec);
  }

  @Test
  void roundTrip_sameBytesAndSameActions(@TempDir Path dir) {
    PolicyModel m = sample();
    Path f = dir.resolve("p.qpol");
    ArtifactFormat.write(m, f);
    PolicyModel back = ArtifactFormat.read(f);
    assertArrayEquals(ArtifactFormat.toBytes(m), ArtifactFormat.toBytes(back));
    assertEquals("{\"x\": 1}", back.metadata());
    PolicyRunner a = m.newRunner();
    PolicyRunner b = back.newRunner();
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 100; i++) {
      double[] s = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      assertArrayEquals(a.act(s), b.act(s), 0);
    }
  }

  @Test
  void fromBytes_newerVersion_refusedNamingBoth() {
    byte[] b = ArtifactFormat.toBytes(sample());
    ByteBuffer.wrap(b).putInt(8, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArtifactFormat.fromBytes(b, "x.qpol"));
    assertEquals("x.qpol: format version 2 is not supported; this runtime reads 1 to 1", e.getMessage());
  }

  @Test
  void fromBytes_flippedByte_checksumMismatch() {
    byte[] b = ArtifactFormat.toBytes(sample());
    b[b.length / 2] ^= 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArtifactFormat.fromBytes(b, "x.qpol"));
    assertEquals("x.qpol: checksum mismatch (file truncated or corrupted)", e.getMessage());
  }

  @Test
  void fromBytes_wrongMagic_refused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ArtifactFormat.fromBytes("PK\u0003\u0004 not a policy at all".getBytes(), "net.zip"));
    assertTrue(e.getMessage().startsWith("net.zip: not a Quill policy artifact"), e.getMessage());
  }

  @Test
  void act_afterWarmUp_allocatesNothing() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    PolicyRunner r = sample().newRunner();
    double[] state = {0.3, -1.2, 2.0};
    double[] action = new double[2];
    for (int i = 0; i < 20_000; i++) {
      state[0] = i * 1e-4;
      r.act(state, action);
    }
    long tid = Thread.currentThread().getId();
    long allocated = Long.MAX_VALUE;
    // warm-up includes JIT compilation (the Vector API's objects are only scalar-replaced once C2 compiled the
    // loops, which takes longer on a loaded machine): measure rounds of 10k calls until one allocates nothing
    for (int round = 0; round < 50 && allocated >= 1024; round++) {
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 10_000; i++) {
        state[0] = i * 1e-4;
        r.act(state, action);
      }
      allocated = mx.getThreadAllocatedBytes(tid) - before;
    }
    assertTrue(allocated < 1024, "10000 act calls allocated " + allocated + " bytes");
  }
}
