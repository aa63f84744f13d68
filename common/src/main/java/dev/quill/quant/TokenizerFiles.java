package dev.quill.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reads and writes tokenizers as versioned JSON ({@code tokenizer.json}):
 * {@code {"format": "quill.tokenizer", "formatVersion": 1, "type": "uniform", "numBins": B,
 * "low": [...], "high": [...]}}. A file of a newer format version is refused with a message naming the
 * file and both versions.
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
    node.put("type", tokenizer.type());
    if (tokenizer instanceof UniformBinTokenizer u) {
      node.put("numBins", u.numBins());
      node.set("low", Json.MAPPER.valueToTree(u.low()));
      node.set("high", Json.MAPPER.valueToTree(u.high()));
    } else {
      throw new IllegalArgumentException("no file format for tokenizer type " + tokenizer.type());
    }
    return Json.write(node);
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
    String type = node.path("type").asText();
    if (UniformBinTokenizer.TYPE.equals(type)) {
      return new UniformBinTokenizer(node.path("numBins").asInt(),
          Json.MAPPER.convertValue(node.get("low"), double[].class),
          Json.MAPPER.convertValue(node.get("high"), double[].class));
    }
    throw new IllegalArgumentException(source + ": unknown tokenizer type \"" + type + "\"");
  }
}
