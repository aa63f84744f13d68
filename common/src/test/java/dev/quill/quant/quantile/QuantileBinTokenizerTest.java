package dev.quill.quant.quantile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerInvariants;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileBinTokenizerTest {
  private final QuantileBinTokenizer tok = new QuantileBinTokenizer(
      new double[][] {{-1, 0, 0.5, 2, 10}}, new double[][] {{-0.2, 0.25, 1, 3}});

  @Test
  void encode_countsInteriorEdgesBelowOrAt() {
    assertArrayEquals(new int[] {0}, tok.encode(new double[] {-5}));
    assertArrayEquals(new int[] {1}, tok.encode(new double[] {0}));
    assertArrayEquals(new int[] {1}, tok.encode(new double[] {0.49}));
    assertArrayEquals(new int[] {2}, tok.encode(new double[] {0.5}));
    assertArrayEquals(new int[] {3}, tok.encode(new double[] {2}));
    assertArrayEquals(new int[] {3}, tok.encode(new double[] {100}));
    assertArrayEquals(new double[] {1.0}, tok.decode(new int[] {2}), 0);
  }

  @Test
  void fitSample_uniformIntegers_putsEqualMassInEachBin() {
    double[][] a = new double[1001][1];
    for (int i = 0; i <= 1000; i++) {
      a[i][0] = i; // quantile p is the value 1000 p
    }
    QuantileBinTokenizer t = new QuantileBinFitter(4).fitSample(a);
    assertArrayEquals(new double[] {0, 250, 500, 750, 1000}, t.edges(0), 0);
    assertArrayEquals(new double[] {125, 375, 625, 875}, t.centres(0), 0);
    int[] counts = new int[4];
    for (double[] row : a) {
      counts[t.encode(row)[0]]++;
    }
    assertArrayEquals(new int[] {250, 250, 250, 251}, counts);
  }

  @Test
  void fitSample_pointMass_spreadsEdgesAndKeepsInvariants() {
    double[][] a = new double[100][1];
    for (int i = 0; i < 100; i++) {
      a[i][0] = i < 80 ? 1.0 : 2.0 + i; // 80 % of the mass on one value
    }
    QuantileBinTokenizer t = new QuantileBinFitter(8).fitSample(a);
    TokenizerInvariants.roundTrip(t);
    assertEquals(1.0, t.decode(t.encode(new double[] {1.0}))[0], 0);
  }

  @Test
  void invariants_skewedData() {
    SplittableRandom rng = new SplittableRandom(3);
    double[][] a = new double[5000][2];
    for (double[] row : a) {
      row[0] = Math.exp(rng.nextGaussian());
      row[1] = rng.nextDouble() * 4 - 2;
    }
    QuantileBinTokenizer t = new QuantileBinFitter(32).fitSample(a);
    TokenizerInvariants.roundTrip(t);
    TokenizerInvariants.badInput(t);
    TokenizerInvariants.fileRoundTrip(t);
    double[] lo = {t.edges(0)[0], t.edges(1)[0]};
    double[] hi = {t.edges(0)[32], t.edges(1)[32]};
    double[] bound = new double[2];
    for (int j = 0; j < 2; j++) {
      double[] e = t.edges(j);
      double[] c = t.centres(j);
      for (int b = 0; b < 32; b++) {
        bound[j] = Math.max(bound[j], Math.max(c[b] - e[b], e[b + 1] - c[b]));
      }
    }
    TokenizerInvariants.errorBound(t, lo, hi, bound);
  }

  @Test
  void constructor_centreOutsideBin_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new QuantileBinTokenizer(new double[][] {{0, 1, 2}}, new double[][] {{0.5, 0.5}}));
    assertTrue(e.getMessage().contains("centre 1 of action dimension 0 is 0.5"), e.getMessage());
  }

  @Test
  void goldenFile_v1_loadsAndEncodesIdentically() {
    ActionTokenizer golden = TokenizerInvariants.golden("tokenizer-quantile-v1.json");
    assertEquals(tok, golden);
    assertArrayEquals(new int[] {2}, golden.encode(new double[] {1.99}));
  }
}
