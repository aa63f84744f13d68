package dev.quill.runtime;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** The tokenizer (decoder) section of {@link ArtifactFormat}: a type string, then the type's fields. */
final class DecoderCodec {
  private DecoderCodec() {}

  static void write(DataOutputStream out, ActionDecoder d) throws IOException {
    Io.writeString(out, d.type());
    if (d instanceof UniformDecoder u) {
      out.writeInt(u.numBins());
      out.writeInt(u.actionDim());
      Io.writeDoubles(out, u.low());
      Io.writeDoubles(out, u.high());
    } else if (d instanceof QuantileDecoder q) {
      out.writeInt(q.actionDim());
      for (int j = 0; j < q.actionDim(); j++) {
        out.writeInt(q.vocabSize(j));
        Io.writeDoubles(out, q.edges(j));
        Io.writeDoubles(out, q.centres(j));
      }
    } else if (d instanceof MuLawDecoder m) {
      out.writeInt(m.numBins());
      out.writeDouble(m.mu());
      out.writeInt(m.actionDim());
      Io.writeDoubles(out, m.scale());
    } else if (d instanceof CodebookDecoder c) {
      out.writeInt(c.actionDim());
      Io.writeDoubles(out, c.offset());
      Io.writeDoubles(out, c.scale());
      out.writeInt(c.numHeads());
      for (int s = 0; s < c.numHeads(); s++) {
        out.writeInt(c.vocabSize(s));
        for (int k = 0; k < c.vocabSize(s); k++) {
          Io.writeDoubles(out, c.code(s, k));
        }
      }
    } else if (d instanceof DitheredDecoder dd) {
      out.writeLong(dd.seed());
      out.writeInt(dd.actionDim());
      Io.writeDoubles(out, dd.halfWidth());
      write(out, dd.base());
    } else {
      throw new IllegalArgumentException("cannot write decoder type " + d.type());
    }
  }

  static ActionDecoder read(DataInputStream in, String source) throws IOException {
    String type = Io.readString(in);
    switch (type) {
      case "uniform": {
        int b = in.readInt();
        int d = dim(in, source);
        return new UniformDecoder(b, Io.readDoubles(in, d), Io.readDoubles(in, d));
      }
      case "quantile": {
        int d = dim(in, source);
        double[][] edges = new double[d][];
        double[][] centres = new double[d][];
        for (int j = 0; j < d; j++) {
          int b = dim(in, source);
          edges[j] = Io.readDoubles(in, b + 1);
          centres[j] = Io.readDoubles(in, b);
        }
        return new QuantileDecoder(edges, centres);
      }
      case "mulaw": {
        int b = in.readInt();
        double mu = in.readDouble();
        int d = dim(in, source);
        return new MuLawDecoder(b, mu, Io.readDoubles(in, d));
      }
      case "kmeans":
      case "rvq": {
        int d = dim(in, source);
        double[] offset = Io.readDoubles(in, d);
        double[] scale = Io.readDoubles(in, d);
        int stages = dim(in, source);
        double[][][] books = new double[stages][][];
        for (int s = 0; s < stages; s++) {
          int k = dim(in, source);
          books[s] = new double[k][];
          for (int c = 0; c < k; c++) {
            books[s][c] = Io.readDoubles(in, d);
          }
        }
        return new CodebookDecoder(type, offset, scale, books);
      }
      case "dithered": {
        long seed = in.readLong();
        int d = dim(in, source);
        double[] h = Io.readDoubles(in, d);
        return new DitheredDecoder(read(in, source), h, seed);
      }
      default:
        throw new IllegalArgumentException(source + ": unknown tokenizer type \"" + type
            + "\" (known: uniform, quantile, mulaw, kmeans, rvq, dithered)");
    }
  }

  private static int dim(DataInputStream in, String source) throws IOException {
    int d = in.readInt();
    if (d < 1 || d > (1 << 20)) {
      throw new IllegalArgumentException(source + ": bad size " + d + " in the tokenizer section");
    }
    return d;
  }

}
