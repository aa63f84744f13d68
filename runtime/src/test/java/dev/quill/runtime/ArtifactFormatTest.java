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

  /** {@link #sample()} with LSQ quantizers on both hidden layers (unsigned 4 bits, signed 3 bits). */
  static PolicyModel sampleLsq() {
    PolicyModel m = sample();
    List<DenseLayer> trunk = List.of(m.trunk().get(0).withQuantizer(new ActivationQuantizer(4, false, 0.05f)),
        m.trunk().get(1).withQuantizer(new ActivationQuantizer(3, true, 0.3f)));
    return new PolicyModel(m.metadata(), m.normalizer(), trunk, m.head(), m.decoder());
  }

  @Test
  void toBytes_withoutQuantizers_writesVersion1_withQuantizersVersion2() {
    assertEquals(1, ByteBuffer.wrap(ArtifactFormat.toBytes(sample())).getInt(8));
    assertEquals(2, ByteBuffer.wrap(ArtifactFormat.toBytes(sampleLsq())).getInt(8));
    // v2 adds per layer one byte, plus 6 (bits, signed, step) for each of the two quantizers
    assertEquals(ArtifactFormat.toBytes(sample()).length + 3 + 2 * 6, ArtifactFormat.toBytes(sampleLsq()).length);
  }

  @Test
  void roundTrip_version2_keepsQuantizersAndActions(@TempDir Path dir) {
    PolicyModel m = sampleLsq();
    Path f = dir.resolve("lsq.qpol");
    ArtifactFormat.write(m, f);
    PolicyModel back = ArtifactFormat.read(f);
    assertArrayEquals(ArtifactFormat.toBytes(m), ArtifactFormat.toBytes(back));
    assertEquals("int3 step 0.3", back.trunk().get(1).quantizer().toString());
    PolicyRunner a = m.newRunner();
    PolicyRunner b = back.newRunner();
    PolicyRunner plain = sample().newRunner();
    SplittableRandom rng = new SplittableRandom(3);
    int differs = 0;
    for (int i = 0; i < 100; i++) {
      double[] s = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      assertArrayEquals(a.act(s), b.act(s), 0);
      a.forward(s);
      plain.forward(s);
      differs += java.util.Arrays.equals(a.logits(), plain.logits()) ? 0 : 1;
    }
    assertTrue(differs > 90, "quantization changed the logits of only " + differs + " of 100 states");
  }

  @Test
  void fromBytes_unknownQuantizerCode_refusedNamingLayer() {
    byte[] b = ArtifactFormat.toBytes(sampleLsq());
    // the first layer's quantizer (code 1, 4 bits, unsigned, step 0.05) follows its biases
    int at = indexOfQuantizer(b, 0.05f);
    b[at] = 7;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArtifactFormat.fromBytes(b, "x.qpol"));
    assertEquals("x.qpol, layer 0: unknown activation quantizer code 7 (known: 0 none, 1 lsq)", e.getMessage());
  }

  /** Offset of the code byte of the unsigned 4-bit quantizer with step {@code step} (code, bits, signed, float). */
  private static int indexOfQuantizer(byte[] b, float step) {
    int bits = Float.floatToIntBits(step);
    for (int k = 3; k + 4 <= b.length; k++) {
      if (ByteBuffer.wrap(b).getInt(k) == bits && b[k - 3] == 1 && b[k - 2] == 4 && b[k - 1] == 0) {
        return k - 3;
      }
    }
    throw new AssertionError("step not found");
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
    ByteBuffer.wrap(b).putInt(8, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArtifactFormat.fromBytes(b, "x.qpol"));
    assertEquals("x.qpol: format version 3 is not supported; this runtime reads 1 to 2", e.getMessage());
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
    assertAllocationFree(sample().newRunner());
  }

  @Test
  void act_withActivationQuantizers_afterWarmUp_allocatesNothing() {
    assertAllocationFree(sampleLsq().newRunner());
  }

  private static void assertAllocationFree(PolicyRunner r) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
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
