package dev.quill.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Loads a {@link QuillConfig}: the embedded defaults, then the user's YAML file (if any), then
 * {@code key=value} overrides, each merged onto the previous document. Unknown keys, malformed values
 * and out-of-range values fail with a {@link ConfigException} whose message names the full dotted key.
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "/dev/quill/config/defaults.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  private ConfigLoader() {}

  /** The defaults alone. */
  public static QuillConfig defaults() {
    return load(null, List.of());
  }

  /**
   * Loads the configuration.
   *
   * @param file a YAML file, or {@code null} for the defaults alone
   * @param overrides {@code dotted.key=value} strings; values are parsed as YAML ({@code 3},
   *     {@code 0.5}, {@code true}, {@code [128, 128]}, {@code text})
   * @throws ConfigException for any unknown key or invalid value
   */
  public static QuillConfig load(Path file, List<String> overrides) {
    ObjectNode tree = defaultsTree();
    if (file != null) {
      JsonNode user = readFile(file);
      if (user != null && !user.isNull()) {
        if (!user.isObject()) {
          throw new ConfigException("", file + ": the top level must be a mapping of keys, got " + user.getNodeType());
        }
        merge(tree, (ObjectNode) user, "");
      }
    }
    for (String override : overrides) {
      applyOverride(tree, override);
    }
    return bind(tree);
  }

  /** Renders a configuration as YAML (what a run records in its manifest). */
  public static String toYaml(QuillConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render config", e);
    }
  }

  /** The configuration as a JSON tree (for manifests). */
  public static JsonNode toTree(QuillConfig config) {
    return YAML.valueToTree(config);
  }

  private static ObjectNode defaultsTree() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULTS);
      }
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--config", "config file " + file + " does not exist or is not a file");
    }
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("--config", "config file " + file + " is not valid YAML: " + e.getMessage());
    }
  }

  private static void merge(ObjectNode target, ObjectNode source, String prefix) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix + field.getKey();
      JsonNode existing = target.get(field.getKey());
      if (existing == null) {
        throw unknownKey(key, target);
      }
      if (existing.isObject()) {
        if (!field.getValue().isObject()) {
          throw new ConfigException(key, key + " must be a mapping with keys " + keys(existing) + ", got " + field.getValue());
        }
        merge((ObjectNode) existing, (ObjectNode) field.getValue(), key + ".");
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  private static void applyOverride(ObjectNode tree, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set", "--set expects key=value, got \"" + override + "\"");
    }
    String key = override.substring(0, eq).trim();
    String raw = override.substring(eq + 1);
    JsonNode value;
    try {
      value = raw.isEmpty() ? YAML.getNodeFactory().textNode("") : YAML.readTree(raw);
    } catch (IOException e) {
      value = YAML.getNodeFactory().textNode(raw);
    }
    if (value == null || value.isMissingNode()) {
      value = YAML.getNodeFactory().textNode(raw);
    }
    String[] parts = key.split("\\.");
    ObjectNode node = tree;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      path.append(i == 0 ? "" : ".").append(parts[i]);
      JsonNode child = node.get(parts[i]);
      if (child == null) {
        throw unknownKey(path.toString(), node);
      }
      if (i == parts.length - 1) {
        if (child.isObject()) {
          throw new ConfigException(key, key + " is a section with keys " + keys(child) + "; set one of them, e.g. " + key + "." + keys(child).get(0) + "=...");
        }
        node.set(parts[i], value);
      } else {
        if (!child.isObject()) {
          throw new ConfigException(path.toString(), path + " is a value, not a section; --set " + key + " is unknown");
        }
        node = (ObjectNode) child;
      }
    }
  }

  private static QuillConfig bind(ObjectNode tree) {
    try {
      return YAML.treeToValue(tree, QuillConfig.class);
    } catch (JsonMappingException e) {
      throw translate(e, tree);
    } catch (JsonProcessingException e) {
      throw new ConfigException("", "invalid configuration: " + e.getOriginalMessage());
    }
  }

  private static ConfigException translate(JsonMappingException e, JsonNode tree) {
    String path = pathOf(e);
    Throwable cause = e.getCause();
    while (cause != null && !(cause instanceof ConfigException)) {
      cause = cause.getCause();
    }
    if (cause instanceof ConfigException ce) {
      // A record's validation names its own key under the record's path; a value's deserializer is already at the key.
      boolean atKey = path.equals(ce.key()) || path.endsWith("." + ce.key());
      String prefix = atKey ? path.substring(0, path.length() - ce.key().length()) : path.isEmpty() ? "" : path + ".";
      return ce.withPrefix(prefix);
    }
    if (e instanceof InvalidFormatException ife) {
      return new ConfigException(path, path + " must be of type " + ife.getTargetType().getSimpleName()
          + ", got " + ife.getValue());
    }
    if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
      JsonNode value = tree.at("/" + path.replace('.', '/'));
      return new ConfigException(path, path + " must be of type " + mie.getTargetType().getSimpleName()
          + ", got " + (value.isMissingNode() ? "nothing" : value.toString()));
    }
    return new ConfigException(path, "invalid value for " + path + ": " + e.getOriginalMessage());
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static ConfigException unknownKey(String key, JsonNode section) {
    return new ConfigException(key, "unknown key " + key + "; allowed keys here: " + keys(section));
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
