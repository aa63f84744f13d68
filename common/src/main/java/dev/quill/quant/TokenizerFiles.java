package dev.quill.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quill.quant.codebook.CodebookTokenizer;
import dev.quill.quant.dither.DitheredTokenizer;
import dev.quill.quant.mulaw.MuLawTokenizer;
import dev.quill.quant.quantile.QuantileBinTokenizer;
import dev.quill.quant.trap.Theorem6Quantizer;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reads and writes tokenizers as versioned JSON ({@code tokenizer.json}): {@code {"format": "quill.tokenizer",
 * "formatVersion": 1, "type": T, ...}} with the fields of each type:
 * <ul>
 *   <li>{@code uniform}: {@code numBins}, {@code low}, {@code high};
 *   <li>{@code quantile}: {@code edges} ({@code [dim][B + 1]}), {@code centres} ({@code [dim][B]});
 *   <li>{@code mulaw}: {@code numBins}, {@code mu}, {@code scale};
 *   <li>{@code kmeans} / {@code rvq}: {@code offset}, {@code scale}, {@code codebooks} ({@code [stage][code][dim]},
 *       standardized units);
 *   <li>{@code dithered}: {@code seed}, {@code halfWidth}, {@code base} (the base tokenizer's fields with its type);
 *   <li>{@code theorem6}: {@code A}, {@code B}, {@code k}, {@code d}, {@code eps}.
 * </ul>
 * A file of a newer format version is refused with a message naming the file and both versions.
 */
public final class TokenizerFiles {
  /** Format marker. */
  public static final String FORMAT = "quill.tokenizer";
  /** Newest format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private TokenizerFiles() {}

  /** Serializes a tokenizer to its JSON text. */
  public static String toJson(ActionTokenizer tokenizer) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("format", FORMAT);
    node.put("formatVersion", FORMAT_VERSION);
    fields(tokenizer, node);
    return Json.write(node);
  }

  private static void fields(ActionTokenizer tokenizer, ObjectNode node) {
    node.put("type", tokenizer.type());
    if (tokenizer instanceof UniformBinTokenizer u) {
      node.put("numBins", u.numBins());
      node.set("low", Json.MAPPER.valueToTree(u.low()));
      node.set("high", Json.MAPPER.valueToTree(u.high()));
    } else if (tokenizer instanceof QuantileBinTokenizer q) {
      double[][] edges = new double[q.actionDim()][];
      double[][] centres = new double[q.actionDim()][];
      for (int j = 0; j < edges.length; j++) {
        edges[j] = q.edges(j);
        centres[j] = q.centres(j);
      }
      node.set("edges", Json.MAPPER.valueToTree(edges));
      node.set("centres", Json.MAPPER.valueToTree(centres));
    } else if (tokenizer instanceof MuLawTokenizer m) {
      node.put("numBins", m.numBins());
      node.put("mu", m.mu());
      node.set("scale", Json.MAPPER.valueToTree(m.scale()));
    } else if (tokenizer instanceof CodebookTokenizer c) {
      double[][][] books = new double[c.numHeads()][][];
      for (int s = 0; s < books.length; s++) {
        books[s] = c.codebook(s);
      }
      node.set("offset", Json.MAPPER.valueToTree(c.offset()));
      node.set("scale", Json.MAPPER.valueToTree(c.scale()));
      node.set("codebooks", Json.MAPPER.valueToTree(books));
    } else if (tokenizer instanceof DitheredTokenizer d) {
      node.put("seed", d.seed());
      node.set("halfWidth", Json.MAPPER.valueToTree(d.halfWidth()));
      ObjectNode base = Json.MAPPER.createObjectNode();
      fields(d.base(), base);
      node.set("base", base);
    } else if (tokenizer instanceof Theorem6Quantizer t) {
      node.put("A", t.a());
      node.put("B", t.b());
      node.put("k", t.k());
      node.put("d", t.d());
      node.put("eps", t.eps());
    } else {
      throw new IllegalArgumentException("no file format for tokenizer type " + tokenizer.type());
    }
  }

  /** Writes {@code tokenizer} to {@code file} atomically. */
  public static void write(ActionTokenizer tokenizer, Path file) {
    AtomicFiles.writeString(file, toJson(tokenizer) + "\n");
  }

  /** Reads a tokenizer file. */
  public static ActionTokenizer read(Path file) {
    try {
      return fromJson(Json.MAPPER.readTree(file.toFile()), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses tokenizer JSON text; {@code source} names it in error messages. */
  public static ActionTokenizer fromJson(String json, String source) {
    try {
      return fromJson(Json.MAPPER.readTree(json), source);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid tokenizer JSON: " + e.getMessage(), e);
    }
  }

  private static ActionTokenizer fromJson(JsonNode node, String source) {
    if (!FORMAT.equals(node.path("format").asText())) {
      throw new IllegalArgumentException(source + ": not a Quill tokenizer (format is \"" + node.path("format").asText() + "\", expected \"" + FORMAT + "\")");
    }
    int version = node.path("formatVersion").asInt(-1);
    if (version < 1 || version > FORMAT_VERSION) {
      throw new IllegalArgumentException(source + ": unsupported tokenizer formatVersion " + version
          + "; this Quill reads versions 1 to " + FORMAT_VERSION);
    }
    return parse(node, source);
  }

  private static ActionTokenizer parse(JsonNode node, String source) {
    String type = node.path("type").asText();
    try {
      return switch (type) {
        case UniformBinTokenizer.TYPE -> new UniformBinTokenizer(node.path("numBins").asInt(),
            field(node, "low", double[].class), field(node, "high", double[].class));
        case QuantileBinTokenizer.TYPE -> new QuantileBinTokenizer(field(node, "edges", double[][].class),
            field(node, "centres", double[][].class));
        case MuLawTokenizer.TYPE -> new MuLawTokenizer(node.path("numBins").asInt(), node.path("mu").asDouble(),
            field(node, "scale", double[].class));
        case CodebookTokenizer.TYPE_KMEANS, CodebookTokenizer.TYPE_RVQ -> new CodebookTokenizer(
            field(node, "offset", double[].class), field(node, "scale", double[].class),
            field(node, "codebooks", double[][][].class));
        case DitheredTokenizer.TYPE -> new DitheredTokenizer(parse(node.path("base"), source + " (base)"),
            field(node, "halfWidth", double[].class), node.path("seed").asLong());
        case Theorem6Quantizer.TYPE -> new Theorem6Quantizer(node.path("A").asDouble(), node.path("B").asDouble(),
            node.path("k").asDouble(), node.path("d").asDouble(), node.path("eps").asDouble());
        default -> throw new IllegalArgumentException("unknown tokenizer type \"" + type + "\"");
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static <T> T field(JsonNode node, String name, Class<T> type) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("field \"" + name + "\" of a " + node.path("type").asText() + " tokenizer is missing");
    }
    return Json.MAPPER.convertValue(value, type);
  }
}
