package dev.quill.quant.dither;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerInvariants;
import dev.quill.quant.uniform.UniformBinTokenizer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DitheredTokenizerTest {
  private final UniformBinTokenizer base = new UniformBinTokenizer(4, new double[] {0}, new double[] {4});
  private final DitheredTokenizer tok = new DitheredTokenizer(base, new double[] {0.5}, 42);

  @Test
  void dither_isAPureFunctionOfSeedAndState_withinHalfWidth() {
    assertArrayEquals(tok.dither(new double[] {1, 2}), tok.dither(new double[] {1, 2}), 0);
    assertNotEquals(tok.dither(new double[] {1, 2})[0], tok.dither(new double[] {1, 2.000001})[0]);
    for (int i = 0; i < 1000; i++) {
      double u = tok.dither(new double[] {i})[0];
      assertTrue(Math.abs(u) <= 0.5, "dither " + u);
    }
  }

  @Test
  void error_isUniformAndIndependentOfAction() {
    // bins of width 1 on [0, 4], dither U(-0.5, 0.5): the decoded error is -u whatever the action, so the mean
    // |error| is 0.25 both at a bin centre (1.5, undithered error 0) and near an edge (1.9, undithered 0.4);
    // at 1.9 the token is 2 when u >= 0.1, with probability 0.4
    double sumCentre = 0;
    double sumEdge = 0;
    int upper = 0;
    Set<Integer> tokens = new HashSet<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double[] s = {i};
      sumCentre += Math.abs(tok.decode(s, tok.encode(s, new double[] {1.5}))[0] - 1.5);
      int[] t = tok.encode(s, new double[] {1.9});
      tokens.add(t[0]);
      upper += t[0] == 2 ? 1 : 0;
      sumEdge += Math.abs(tok.decode(s, t)[0] - 1.9);
    }
    assertEquals(0.25, sumCentre / n, 0.01);
    assertEquals(0.25, sumEdge / n, 0.01);
    assertEquals(0.4, (double) upper / n, 0.015);
    assertEquals(Set.of(1, 2), tokens);
    assertArrayEquals(new double[] {1.5}, tok.decode(tok.encode(new double[] {1.5})), 0);
  }

  @Test
  void invariants() {
    TokenizerInvariants.roundTrip(tok);
    TokenizerInvariants.badInput(tok);
    TokenizerInvariants.fileRoundTrip(tok);
    // inside the bounds, dithered error <= half bin + half width = 1
    TokenizerInvariants.errorBound(tok, new double[] {0.5}, new double[] {3.5}, new double[] {1.0});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.encode(new double[] {0}, new double[] {Double.NaN}));
    assertTrue(e.getMessage().contains("action dimension 0 is NaN"), e.getMessage());
  }

  @Test
  void constructor_ditherOfDither_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new DitheredTokenizer(tok, new double[] {0.1}, 1));
  }

  @Test
  void goldenFile_v1_loadsAndEncodesIdentically() {
    ActionTokenizer golden = TokenizerInvariants.golden("tokenizer-dithered-v1.json");
    assertEquals(tok, golden);
    // frozen at format version 1: the per-state dither of seed 42 must never change
    int[] expected = GOLDEN_TOKENS;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], golden.encode(new double[] {i, -i}, new double[] {1.9})[0], "state " + i);
    }
  }

  private static final int[] GOLDEN_TOKENS = {2, 2, 1, 2, 1, 2, 1, 1, 2, 1, 1, 1};
}
