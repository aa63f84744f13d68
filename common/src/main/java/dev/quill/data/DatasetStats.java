package dev.quill.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quill.util.Json;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;

/**
 * Normalization statistics of a dataset, written as {@code stats.json} with LeRobot's feature keys.
 *
 * @param state statistics of {@code observation.state}
 * @param action statistics of {@code action}
 * @param quantiles how {@code q01}/{@code q99} were computed, by feature key, for features whose quantiles
 *     did not come from Spark's {@code percentile_approx} over every frame (wide features such as image
 *     observations: an exact quantile of a seeded sample of frames); {@code null} (and absent from the file)
 *     when every feature's quantiles cover all frames
 * @param normalization how {@code mean}/{@code std} were computed, by feature key, for features whose mean
 *     and std are not per dimension (image observations: pooled per channel, see
 *     {@link FeatureStats#pooledPerChannel}); {@code null} (and absent from the file) when every feature's
 *     are per dimension
 */
public record DatasetStats(
    @JsonProperty("observation.state") FeatureStats state,
    @JsonProperty("action") FeatureStats action,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("quill.quantiles") Map<String, String> quantiles,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("quill.normalization") Map<String, String> normalization)
    implements Serializable {

  /** The canonical constructor (the one Jackson uses). */
  @JsonCreator
  public DatasetStats {}

  /** Statistics whose quantiles cover every frame and whose mean and std are per dimension. */
  public DatasetStats(FeatureStats state, FeatureStats action) {
    this(state, action, null, null);
  }

  /** Reads {@code stats.json}. */
  public static DatasetStats read(Path file) {
    return Json.read(file, DatasetStats.class);
  }

  /** Writes {@code stats.json} atomically. */
  public void write(Path file) {
    Json.writeFile(file, this);
  }
}
