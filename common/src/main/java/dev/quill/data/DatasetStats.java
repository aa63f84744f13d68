package dev.quill.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quill.util.Json;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Normalization statistics of a dataset, written as {@code stats.json} with LeRobot's feature keys.
 *
 * @param state statistics of {@code observation.state}
 * @param action statistics of {@code action}
 */
public record DatasetStats(
    @JsonProperty("observation.state") FeatureStats state,
    @JsonProperty("action") FeatureStats action) implements Serializable {

  /** Reads {@code stats.json}. */
  public static DatasetStats read(Path file) {
    return Json.read(file, DatasetStats.class);
  }

  /** Writes {@code stats.json} atomically. */
  public void write(Path file) {
    Json.writeFile(file, this);
  }
}
