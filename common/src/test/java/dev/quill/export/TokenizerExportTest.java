package dev.quill.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.codebook.CodebookTokenizer;
import dev.quill.quant.dither.DitheredTokenizer;
import dev.quill.quant.mulaw.MuLawTokenizer;
import dev.quill.quant.quantile.QuantileBinTokenizer;
import dev.quill.quant.trap.Theorem6Quantizer;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.runtime.ActionDecoder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The runtime decodes every exportable tokenizer type bit for bit like Quill's tokenizer. */
class TokenizerExportTest {
  private static List<ActionTokenizer> tokenizers() {
    UniformBinTokenizer uniform = new UniformBinTokenizer(16, new double[] {-0.05, -0.05, -1}, new double[] {0.05, 0.05, 1});
    QuantileBinTokenizer quantile = new QuantileBinTokenizer(
        new double[][] {{-2, -0.5, 0.1, 3}, {0, 0.25, 0.5, 4}}, new double[][] {{-1, 0, 1}, {0.1, 0.3, 2}});
    MuLawTokenizer mulaw = new MuLawTokenizer(32, 100, new double[] {0.05, 0.05, 1});
    double[][][] books = {{{0.1, -0.2}, {1.5, 0.3}, {-0.7, 0.9}}, {{0.01, 0.02}, {-0.03, 0.05}}};
    CodebookTokenizer rvq = new CodebookTokenizer(new double[] {0.2, -0.1}, new double[] {0.5, 2}, books);
    CodebookTokenizer kmeans = new CodebookTokenizer(new double[] {0.2, -0.1}, new double[] {0.5, 2}, new double[][][] {books[0]});
    DitheredTokenizer dithered = new DitheredTokenizer(uniform, new double[] {0.003, 0.003, 0.06}, 77L);
    DitheredTokenizer ditheredRvq = new DitheredTokenizer(rvq, new double[] {0.1, 0.2}, -5L);
    return List.of(uniform, quantile, mulaw, rvq, kmeans, dithered, ditheredRvq);
  }

  @Test
  void decoderOf_everyType_decodesIdenticallyForRandomTokensAndStates() {
    SplittableRandom rng = new SplittableRandom(11);
    for (ActionTokenizer t : tokenizers()) {
      ActionDecoder d = TokenizerExport.decoderOf(t);
      assertEquals(t.type(), d.type());
      assertEquals(t.numHeads(), d.numHeads());
      double[] action = new double[t.actionDim()];
      for (int n = 0; n < 2000; n++) {
        int[] tokens = new int[t.numHeads()];
        for (int h = 0; h < tokens.length; h++) {
          tokens[h] = rng.nextInt(t.vocabSize(h));
        }
        double[] state = {rng.nextGaussian(), n % 7 == 0 ? -0.0 : rng.nextGaussian(), rng.nextDouble()};
        d.decode(tokens, null, state, action);
        assertArrayEquals(t.decode(state, tokens), action, 0.0, t.type() + " tokens " + java.util.Arrays.toString(tokens));
      }
    }
  }

  @Test
  void decoderOf_theorem6_refusedNamingType() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenizerExport.decoderOf(Theorem6Quantizer.auditInstance(1.0 / 32)));
    assertEquals("tokenizer type \"theorem6\" cannot be exported (the runtime decodes uniform, quantile, mulaw, kmeans, "
        + "rvq and dithered tokenizers; theorem6 is a test instance)", e.getMessage());
  }
}
