package dev.quill.spark.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quill.task.image.ImageShape;
import dev.quill.util.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * Metadata of a canonical dataset ({@code meta.json} beside its {@code data/} folder).
 *
 * @param format always {@code quill.dataset}
 * @param formatVersion layout version
 * @param task task name from the input metadata, or {@code ""}
 * @param stateDim state dimension
 * @param actionDim action dimension
 * @param stateNames names of state dimensions
 * @param actionNames names of action dimensions
 * @param episodes episodes kept
 * @param frames frames kept
 * @param heldoutEpisodes episodes held out from training
 * @param heldoutFraction configured held-out fraction
 * @param splitSeed seed of the split
 * @param source input folder
 * @param imageShape the state's image shape when the state is a flattened image (from the input's
 *     {@code image_shape}), else null and absent from the file; {@code stats} pools the state's mean and std
 *     per image channel when it is set
 */
public record DatasetMeta(String format, int formatVersion, String task, int stateDim, int actionDim,
    List<String> stateNames, List<String> actionNames, long episodes, long frames, long heldoutEpisodes,
    double heldoutFraction, long splitSeed, String source,
    @JsonInclude(JsonInclude.Include.NON_NULL) ImageShape imageShape) {
  /** File name inside the dataset folder. */
  public static final String FILE = "meta.json";
  /** Format marker. */
  public static final String FORMAT = "quill.dataset";
  /** Current layout version. */
  public static final int FORMAT_VERSION = 1;

  /** Reads {@code <dataset>/meta.json}, checking format and version. */
  public static DatasetMeta read(Path dataset) {
    Path file = dataset.resolve(FILE);
    if (!file.toFile().isFile()) {
      throw new IllegalArgumentException(dataset + " is not a Quill dataset (no " + FILE + "); run quill ingest first");
    }
    DatasetMeta meta = Json.read(file, DatasetMeta.class);
    if (!FORMAT.equals(meta.format()) || meta.formatVersion() < 1 || meta.formatVersion() > FORMAT_VERSION) {
      throw new IllegalArgumentException(file + ": format " + meta.format() + " v" + meta.formatVersion()
          + " is not supported; this Quill reads " + FORMAT + " v1 to v" + FORMAT_VERSION);
    }
    return meta;
  }
}
