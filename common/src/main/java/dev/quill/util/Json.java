package dev.quill.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The one JSON mapper for Quill's own files (stats, tokenizers, manifests, metrics). Thread-safe. */
public final class Json {
  /** Shared mapper: pretty-printed, records supported, unknown properties rejected. */
  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** Serializes {@code value} as pretty JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@code json} (a string, as {@link #write} gives it) as {@code type}. */
  public static <T> T parse(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code value} to {@code file} atomically (temp file in the same folder, then rename). */
  public static void writeFile(Path file, Object value) {
    AtomicFiles.writeString(file, write(value) + "\n");
  }

  /** Reads {@code file} as {@code type}; failures name the file. */
  public static <T> T read(Path file, Class<T> type) {
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from " + file + ": " + e.getMessage(), e);
    }
  }
}
