package dev.quill.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecodersTest {
  @Test
  void uniform_decode_binCentres() {
    UniformDecoder d = new UniformDecoder(4, new double[] {-1, 2}, new double[] {1, 2});
    double[] a = new double[2];
    d.decode(new int[] {1, 3}, null, null, a);
    // width 0.5: -1 + 1.5 * 0.5 = -0.25; zero-width dimension decodes to low
    assertArrayEquals(new double[] {-0.25, 2}, a, 0);
  }

  @Test
  void mulaw_decode_expandsCentre() {
    MuLawDecoder d = new MuLawDecoder(2, 255, new double[] {2});
    double[] a = new double[1];
    d.decode(new int[] {1}, null, null, a);
    // centre c = 0.5: 2 * (256^0.5 - 1) / 255 = 2 * 15 / 255
    assertEquals(30.0 / 255, a[0], 1e-12);
  }

  @Test
  void codebook_decode_sumsStagesThenDestandardizes() {
    double[][][] books = {{{1, 0}, {0, 1}}, {{0.5, 0.5}, {-1, -1}}};
    CodebookDecoder d = new CodebookDecoder("rvq", new double[] {10, 20}, new double[] {2, 3}, books);
    double[] a = new double[2];
    d.decode(new int[] {1, 1}, null, null, a);
    // z = (0, 1) + (-1, -1) = (-1, 0): (10 - 2, 20 + 0)
    assertArrayEquals(new double[] {8, 20}, a, 0);
  }

  @Test
  void dithered_decode_subtractsSplittableRandomDitherOfState() {
    UniformDecoder base = new UniformDecoder(4, new double[] {-1, -1}, new double[] {1, 1});
    double[] h = {0.25, 0.125};
    DitheredDecoder d = new DitheredDecoder(base, h, 42L);
    double[] state = {0.3, -0.0, 7.25};
    double[] a = new double[2];
    d.decode(new int[] {0, 3}, null, state, a);
    SplittableRandom rng = new SplittableRandom(DitheredDecoder.stateSeed(42L, state));
    double u0 = h[0] * (2 * rng.nextDouble() - 1);
    double u1 = h[1] * (2 * rng.nextDouble() - 1);
    assertEquals(-0.75 - u0, a[0], 0);
    assertEquals(0.75 - u1, a[1], 0);
  }
}
