package dev.quill.quant.uniform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigException;
import dev.quill.data.FeatureStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.util.AbsErrorStats;
import dev.quill.quant.QuantizeConfig;
import dev.quill.quant.TokenizerFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UniformBinTokenizerTest {
  private final UniformBinTokenizer tok = new UniformBinTokenizer(4, new double[] {-1, 0}, new double[] {1, 10});

  @Test
  void encodeDecode_handComputedBins() {
    // dim 0: width 0.5, edges -1, -0.5, 0, 0.5, 1; dim 1: width 2.5
    assertArrayEquals(new int[] {0, 0}, tok.encode(new double[] {-1, 0}));
    assertArrayEquals(new int[] {1, 1}, tok.encode(new double[] {-0.5, 2.5}));
    assertArrayEquals(new int[] {3, 3}, tok.encode(new double[] {1, 10}));
    assertArrayEquals(new double[] {-0.75, 1.25}, tok.decode(new int[] {0, 0}), 1e-12);
    assertArrayEquals(new double[] {0.75, 8.75}, tok.decode(new int[] {3, 3}), 1e-12);
  }

  @Test
  void everyToken_survivesDecodeThenEncode() {
    UniformBinTokenizer t = new UniformBinTokenizer(256, new double[] {-0.15, -3.7, 0}, new double[] {0.15, 12.1, 1e-3});
    for (int j = 0; j < 3; j++) {
      for (int b = 0; b < 256; b++) {
        assertEquals(b, t.encodeDim(j, t.decodeDim(j, b)), "dim " + j + " token " + b);
      }
    }
  }

  @Test
  void reconstructionError_insideBounds_isAtMostHalfABin() {
    UniformBinTokenizer t = new UniformBinTokenizer(37, new double[] {-2, 5}, new double[] {3, 5.5});
    SplittableRandom rng = new SplittableRandom(1);
    AbsErrorStats err = new AbsErrorStats(2);
    for (int i = 0; i < 100_000; i++) {
      double[] a = {-2 + 5 * rng.nextDouble(), 5 + 0.5 * rng.nextDouble()};
      err.add(a, t.decode(t.encode(a)));
    }
    double[] max = err.maxPerDim();
    assertTrue(max[0] <= t.binWidth(0) / 2 + 1e-12, "dim 0 max error " + max[0]);
    assertTrue(max[1] <= t.binWidth(1) / 2 + 1e-12, "dim 1 max error " + max[1]);
    // uniform actions: mean error is a quarter of the bin width
    assertEquals(t.binWidth(0) / 4, err.meanPerDim()[0], 1e-3);
  }

  @Test
  void outOfBounds_clipsToEdgeBins() {
    assertArrayEquals(new int[] {0, 3}, tok.encode(new double[] {-7, 1e9}));
  }

  @Test
  void nan_isRejectedWithDimension() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.encode(new double[] {0, Double.NaN}));
    assertTrue(e.getMessage().contains("action dimension 1 is NaN"), e.getMessage());
  }

  @Test
  void constantDimension_encodesToZeroAndDecodesToValue() {
    UniformBinTokenizer t = new UniformBinTokenizer(8, new double[] {2.5}, new double[] {2.5});
    assertArrayEquals(new int[] {0}, t.encode(new double[] {2.5}));
    assertArrayEquals(new double[] {2.5}, t.decode(new int[] {0}), 0);
  }

  @Test
  void fitter_q01q99Bounds_useQuantiles() {
    FeatureStats s = new FeatureStats(new double[] {0}, new double[] {1}, new double[] {-9}, new double[] {9},
        new double[] {-2}, new double[] {2}, 100);
    UniformBinTokenizer mm = new UniformBinFitter(QuantizeConfig.of("uniform", 16, "minmax")).fit(s);
    UniformBinTokenizer qq = new UniformBinFitter(QuantizeConfig.of("uniform", 16, "q01q99")).fit(s);
    assertArrayEquals(new double[] {-9}, mm.low());
    assertArrayEquals(new double[] {2}, qq.high());
  }

  @Test
  void config_numBinsOutOfRange_namesKeyValueAndRange() {
    ConfigException e = assertThrows(ConfigException.class, () -> QuantizeConfig.of("uniform", 1, "minmax"));
    assertEquals("numBins must be in [2, 65536], got 1", e.getMessage());
  }

  @Test
  void file_roundTrip_equalTokenizer(@TempDir Path dir) {
    Path f = dir.resolve("tokenizer.json");
    TokenizerFiles.write(tok, f);
    assertEquals(tok, TokenizerFiles.read(f));
  }

  @Test
  void goldenFile_v1_loadsAndEncodesIdentically() throws IOException {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/golden/tokenizer-uniform-v1.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ActionTokenizer golden = TokenizerFiles.fromJson(json, "golden");
    assertEquals(new UniformBinTokenizer(256, new double[] {-0.15, -0.15, -1}, new double[] {0.15, 0.15, 1}), golden);
    // 0.5 on [-1, 1] with 256 bins: floor(1.5 / (2 / 256)) = 192
    assertArrayEquals(new int[] {0, 255, 192}, golden.encode(new double[] {-0.2, 0.149, 0.5}));
  }

  @Test
  void file_newerVersion_isRefusedNamingVersions() {
    String json = "{\"format\":\"quill.tokenizer\",\"formatVersion\":9,\"type\":\"uniform\"}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.fromJson(json, "x.json"));
    assertTrue(e.getMessage().contains("unsupported tokenizer formatVersion 9"), e.getMessage());
  }

  @Test
  void toString_showsConfig() {
    assertTrue(tok.toString().startsWith("UniformBinTokenizer(numBins=4"), tok.toString());
  }
}
