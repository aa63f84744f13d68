package dev.quill.quant.mulaw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.data.FeatureStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.QuantizeConfig;
import dev.quill.quant.TokenizerInvariants;
import org.junit.jupiter.api.Test;

class MuLawTokenizerTest {
  private final MuLawTokenizer tok = new MuLawTokenizer(4, 100, new double[] {2.0});

  @Test
  void encodeDecode_handComputed() {
    // c = sign(z) ln(1 + 100 |z|) / ln(101), z = a / 2; token floor((c + 1) / 2 * 4)
    assertArrayEquals(new int[] {3}, tok.encode(new double[] {0.5})); // c = 0.706
    assertArrayEquals(new int[] {2}, tok.encode(new double[] {0.01})); // c = 0.088
    assertArrayEquals(new int[] {1}, tok.encode(new double[] {-0.01}));
    assertArrayEquals(new int[] {0}, tok.encode(new double[] {-2}));
    // token 3: c = 0.75, a = 2 (101^0.75 - 1) / 100
    assertArrayEquals(new double[] {0.6171930438205397}, tok.decode(new int[] {3}), 1e-12);
    assertArrayEquals(new double[] {-0.04340307759445402}, tok.decode(new int[] {1}), 1e-12);
  }

  @Test
  void bins_areFinerNearZero() {
    MuLawTokenizer t = new MuLawTokenizer(64, 100, new double[] {1});
    double inner = t.edge(0, 33) - t.edge(0, 32);
    double outer = t.edge(0, 64) - t.edge(0, 63);
    assertTrue(outer > 20 * inner, "inner " + inner + " outer " + outer);
  }

  @Test
  void invariants() {
    MuLawTokenizer t = new MuLawTokenizer(256, 100, new double[] {0.05, 1.0, 0.0});
    TokenizerInvariants.roundTrip(new MuLawTokenizer(256, 100, new double[] {0.05, 1.0}));
    TokenizerInvariants.badInput(t);
    TokenizerInvariants.fileRoundTrip(t);
    // the widest bin is the outermost; its centre (in companded units) lies below the middle in action units,
    // so the error is at most the distance from the outer edge to the outermost centre
    double[] top = t.decode(new int[] {255, 255, 0});
    double[] bound = {t.edge(0, 256) - top[0], t.edge(1, 256) - top[1], 0};
    TokenizerInvariants.errorBound(t, new double[] {-0.05, -1, 0}, new double[] {0.05, 1, 0}, bound);
  }

  @Test
  void fitter_scaleIsLargestAbsoluteBound() {
    FeatureStats s = new FeatureStats(new double[] {0, 0}, new double[] {1, 1}, new double[] {-3, -0.5},
        new double[] {1, 2}, new double[] {-1, -0.1}, new double[] {0.5, 0.2}, 10);
    QuantizeConfig c = QuantizeConfig.of("mulaw", 64, "minmax");
    assertArrayEquals(new double[] {3, 2}, new MuLawFitter(c).fit(s).scale(), 0);
    assertArrayEquals(new double[] {1, 0.2}, new MuLawFitter(QuantizeConfig.of("mulaw", 64, "q01q99")).fit(s).scale(), 0);
  }

  @Test
  void goldenFile_v1_loadsAndEncodesIdentically() {
    ActionTokenizer golden = TokenizerInvariants.golden("tokenizer-mulaw-v1.json");
    assertEquals(tok, golden);
    assertArrayEquals(new int[] {3}, golden.encode(new double[] {0.5}));
  }
}
