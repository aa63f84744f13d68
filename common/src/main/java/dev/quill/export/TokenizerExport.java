package dev.quill.export;

import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.codebook.CodebookTokenizer;
import dev.quill.quant.dither.DitheredTokenizer;
import dev.quill.quant.mulaw.MuLawTokenizer;
import dev.quill.quant.quantile.QuantileBinTokenizer;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.runtime.ActionDecoder;
import dev.quill.runtime.CodebookDecoder;
import dev.quill.runtime.DitheredDecoder;
import dev.quill.runtime.MuLawDecoder;
import dev.quill.runtime.QuantileDecoder;
import dev.quill.runtime.UniformDecoder;

/** Converts a fitted Quill tokenizer into the runtime's decoder with the same parameters. */
public final class TokenizerExport {
  private TokenizerExport() {}

  /**
   * The runtime decoder of {@code tokenizer}; every type except the Theorem-6 test instance.
   *
   * @throws IllegalArgumentException naming the type when it cannot be exported
   */
  public static ActionDecoder decoderOf(ActionTokenizer tokenizer) {
    if (tokenizer instanceof UniformBinTokenizer u) {
      return new UniformDecoder(u.numBins(), u.low(), u.high());
    }
    if (tokenizer instanceof QuantileBinTokenizer q) {
      double[][] edges = new double[q.actionDim()][];
      double[][] centres = new double[q.actionDim()][];
      for (int j = 0; j < q.actionDim(); j++) {
        edges[j] = q.edges(j);
        centres[j] = q.centres(j);
      }
      return new QuantileDecoder(edges, centres);
    }
    if (tokenizer instanceof MuLawTokenizer m) {
      return new MuLawDecoder(m.numBins(), m.mu(), m.scale());
    }
    if (tokenizer instanceof CodebookTokenizer c) {
      double[][][] books = new double[c.numHeads()][][];
      for (int s = 0; s < books.length; s++) {
        books[s] = c.codebook(s);
      }
      return new CodebookDecoder(c.type(), c.offset(), c.scale(), books);
    }
    if (tokenizer instanceof DitheredTokenizer d) {
      return new DitheredDecoder(decoderOf(d.base()), d.halfWidth(), d.seed());
    }
    throw new IllegalArgumentException("tokenizer type \"" + tokenizer.type() + "\" cannot be exported (the runtime decodes "
        + "uniform, quantile, mulaw, kmeans, rvq and dithered tokenizers; theorem6 is a test instance)");
  }
}
