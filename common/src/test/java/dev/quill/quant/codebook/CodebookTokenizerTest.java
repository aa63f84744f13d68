package dev.quill.quant.codebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerInvariants;
import org.junit.jupiter.api.Test;

class CodebookTokenizerTest {
  private static final double[][] BOOK = {{0, 0}, {1, 0}, {0, 1}};
  private final CodebookTokenizer kmeans = new CodebookTokenizer(new double[] {1, 0}, new double[] {2, 1}, new double[][][] {BOOK});
  private final CodebookTokenizer rvq = new CodebookTokenizer(new double[] {1, 0}, new double[] {2, 1},
      new double[][][] {BOOK, {{0, 0}, {0.25, 0.25}}});

  @Test
  void kmeans_encodesNearestCodeInStandardizedUnits() {
    assertEquals("kmeans", kmeans.type());
    assertEquals(1, kmeans.numHeads());
    assertEquals(3, kmeans.vocabSize(0));
    assertArrayEquals(new int[] {1}, kmeans.encode(new double[] {3, 0.1})); // z = (1, 0.1)
    assertArrayEquals(new int[] {2}, kmeans.encode(new double[] {1.5, 1.3})); // z = (0.25, 1.3)
    assertArrayEquals(new double[] {1, 1}, kmeans.decode(new int[] {2}), 0);
  }

  @Test
  void rvq_secondStageEncodesResidual() {
    assertEquals("rvq", rvq.type());
    assertFalse(rvq.exactRoundTrip());
    assertArrayEquals(new int[] {1, 0}, rvq.encode(new double[] {3, 0.1}));
    // z = (0.25, 1.3): stage 1 picks (0, 1), residual (0.25, 0.3) is nearest (0.25, 0.25)
    assertArrayEquals(new int[] {2, 1}, rvq.encode(new double[] {1.5, 1.3}));
    assertArrayEquals(new double[] {1.5, 1.25}, rvq.decode(new int[] {2, 1}), 1e-12);
  }

  @Test
  void rvq_secondStageReducesError() {
    double[] a = {1.5, 1.3};
    double e1 = dist(a, kmeans.decode(kmeans.encode(a)));
    double e2 = dist(a, rvq.decode(rvq.encode(a)));
    assertTrue(e2 < e1, e1 + " vs " + e2);
  }

  @Test
  void invariants() {
    TokenizerInvariants.roundTrip(kmeans);
    TokenizerInvariants.badInput(kmeans);
    TokenizerInvariants.badInput(rvq);
    TokenizerInvariants.fileRoundTrip(kmeans);
    TokenizerInvariants.fileRoundTrip(rvq);
    // a grid codebook of spacing 0.1 on [0,1]^2 (scale 1): nearest-code error at most 0.05 per dimension
    double[][] grid = new double[121][];
    for (int i = 0; i <= 10; i++) {
      for (int j = 0; j <= 10; j++) {
        grid[i * 11 + j] = new double[] {i / 10.0, j / 10.0};
      }
    }
    CodebookTokenizer g = new CodebookTokenizer(new double[] {0, 0}, new double[] {1, 1}, new double[][][] {grid});
    TokenizerInvariants.roundTrip(g);
    TokenizerInvariants.errorBound(g, new double[] {0, 0}, new double[] {1, 1}, new double[] {0.05, 0.05});
  }

  @Test
  void constructor_equalCodes_areRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CodebookTokenizer(
        new double[] {0}, new double[] {1}, new double[][][] {{{1}, {2}, {1}}}));
    assertEquals("codes 0 and 2 of stage 0 are equal", e.getMessage());
  }

  @Test
  void distinct_mergesEqualCentres() {
    assertEquals(2, Codebooks.distinct(new double[][] {{1, 2}, {1, 2}, {0, 0}}).length);
    assertArrayEquals(new double[] {2, 1}, Codebooks.safeScale(new double[] {2, 0}), 0);
  }

  @Test
  void goldenFiles_v1_loadAndEncodeIdentically() {
    ActionTokenizer k = TokenizerInvariants.golden("tokenizer-kmeans-v1.json");
    ActionTokenizer r = TokenizerInvariants.golden("tokenizer-rvq-v1.json");
    assertEquals(kmeans, k);
    assertEquals(rvq, r);
    assertArrayEquals(new int[] {2, 1}, r.encode(new double[] {1.5, 1.3}));
  }

  private static double dist(double[] a, double[] b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }
}
