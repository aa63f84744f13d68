package dev.quill.spark.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quill.data.BadInputException;
import dev.quill.data.Columns;
import dev.quill.data.Finding;
import dev.quill.task.image.ImageShape;
import dev.quill.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What an input demonstrations folder holds: its Parquet data files and, when present, LeRobot-style
 * metadata ({@code meta/info.json} for vector shapes and names, {@code meta/episodes.jsonl} for the
 * episodes and their lengths).
 *
 * @param root the input folder
 * @param dataFiles Parquet files, sorted
 * @param stateDim state dimension declared in info.json, or -1
 * @param actionDim action dimension declared in info.json, or -1
 * @param stateNames declared state names (may be empty)
 * @param actionNames declared action names (may be empty)
 * @param task the task ({@code robot_type}) declared in info.json, or {@code ""}
 * @param episodeLengths episode index to length from episodes.jsonl (empty when absent)
 * @param episodesFile where {@code episodeLengths} came from ({@code meta/episodes.jsonl}, v3's
 *     {@code meta/episodes/}), as reported
 * @param notes what the reader skipped or assumed (video and image features, format version), for the report
 * @param imageShape the state's image shape ({@code image_shape} [C, H, W] under
 *     {@code features.observation.state} in info.json, written for Quill's image observations), or null when
 *     the state is a plain vector
 */
record InputLayout(Path root, List<Path> dataFiles, int stateDim, int actionDim, List<String> stateNames,
    List<String> actionNames, String task, Map<Long, Long> episodeLengths, String episodesFile, List<String> notes,
    ImageShape imageShape) {

  /** The same layout with the episode lengths read from {@code file} (LeRobot v3's episodes Parquet). */
  InputLayout withEpisodeLengths(Map<Long, Long> lengths, String file) {
    return new InputLayout(root, dataFiles, stateDim, actionDim, stateNames, actionNames, task, lengths, file, notes,
        imageShape);
  }

  /** Reads the layout of {@code root}; fails with a clear message when there is no data. */
  static InputLayout of(Path root) {
    if (!Files.isDirectory(root)) {
      throw new BadInputException("input " + root + " does not exist or is not a folder", List.of());
    }
    Path data = Files.isDirectory(root.resolve("data")) ? root.resolve("data") : root;
    List<String> notes = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + data, e);
    }
    if (files.isEmpty()) {
      throw new BadInputException("no Parquet files under " + data, List.of());
    }
    int s = -1;
    int a = -1;
    List<String> sn = List.of();
    List<String> an = List.of();
    String task = "";
    ImageShape image = null;
    Path info = root.resolve("meta/info.json");
    if (Files.isRegularFile(info)) {
      JsonNode node = Json.read(info, JsonNode.class);
      JsonNode features = node.path("features");
      s = features.path(Columns.STATE).path("shape").path(0).asInt(-1);
      a = features.path(Columns.ACTION).path("shape").path(0).asInt(-1);
      sn = names(features.path(Columns.STATE).path("names"));
      an = names(features.path(Columns.ACTION).path("names"));
      task = node.path("robot_type").asText("");
      image = imageShape(info, features.path(Columns.STATE), s);
      notes.add("LeRobot " + node.path("codebase_version").asText("(no codebase_version)") + " metadata in meta/info.json");
      features.fields().forEachRemaining(f -> {
        String dtype = f.getValue().path("dtype").asText("");
        if (dtype.equals("video") || dtype.equals("image")) {
          notes.add("feature " + f.getKey() + " (dtype " + dtype + ") is skipped: Quill reads state and action "
              + "vectors only (images come later)");
        }
      });
    }
    return new InputLayout(root, files, s, a, sn, an, task, episodeLengths(root.resolve("meta/episodes.jsonl")),
        "meta/episodes.jsonl", List.copyOf(notes), image);
  }

  /**
   * The state's {@code image_shape} [C, H, W], or null when absent.
   *
   * @throws BadInputException when it is not three positive integers whose product is the declared state
   *     dimension
   */
  private static ImageShape imageShape(Path info, JsonNode state, int stateDim) {
    JsonNode shape = state.path("image_shape");
    if (shape.isMissingNode() || shape.isNull()) {
      return null;
    }
    boolean valid = shape.isArray() && shape.size() == 3;
    for (int i = 0; valid && i < 3; i++) {
      valid = shape.get(i).canConvertToInt() && shape.get(i).asInt() > 0;
    }
    if (valid && shape.get(0).asInt() * shape.get(1).asInt() * shape.get(2).asInt() == stateDim) {
      return new ImageShape(shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt());
    }
    Rule rule = Rule.BAD_IMAGE_SHAPE;
    String message = info + ": features." + Columns.STATE + ".image_shape " + shape + " " + rule.description()
        + " (" + stateDim + ") (rule " + rule.id() + ")";
    throw new BadInputException(message, List.of(new Finding(info.toString(), -1, Columns.STATE, -1, rule.id(),
        message)));
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Map<Long, Long> episodeLengths(Path file) {
    Map<Long, Long> lengths = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return lengths;
    }
    try {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        JsonNode n = Json.MAPPER.readTree(lines.get(i));
        if (!n.has("episode_index") || !n.has("length")) {
          throw new BadInputException("invalid metadata", List.of(new Finding(file.toString(), -1, "", -1, "missing_value",
              file + " line " + (i + 1) + ": needs episode_index and length (rule missing_value)")));
        }
        lengths.put(n.get("episode_index").asLong(), n.get("length").asLong());
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage(), List.of());
    }
    return lengths;
  }
}
