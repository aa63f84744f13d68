package dev.quill.spark.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a pipeline stage recorded when it last ran ({@code stages/<stage>.json}): the hash of the
 * configuration it depends on, the hashes of its inputs and outputs, and its result. A stage whose
 * configuration hash and input hashes are unchanged, and whose outputs still hash to what it wrote, is
 * skipped and its result is read back from here.
 *
 * @param format always {@link #FORMAT}
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param stage the stage name
 * @param configSha256 SHA-256 of the configuration keys the stage depends on (as JSON)
 * @param inputsSha256 input name to SHA-256 ({@link dev.quill.util.Hashing#sha256(java.nio.file.Path)})
 * @param outputsSha256 output name to SHA-256
 * @param seconds wall time of the run that wrote this manifest
 * @param result the stage's result as JSON
 */
public record StageManifest(String format, int formatVersion, String stage, String configSha256, Map<String, String> inputsSha256,
    Map<String, String> outputsSha256, double seconds, JsonNode result) {
  /** Format name. */
  public static final String FORMAT = "quill.stage";
  /** Current format version. */
  public static final int FORMAT_VERSION = 1;

  /** Checks format and version. */
  public StageManifest {
    if (!FORMAT.equals(format) || formatVersion < 1 || formatVersion > FORMAT_VERSION) {
      throw new IllegalArgumentException("stage manifest of " + stage + ": format " + format + " version " + formatVersion
          + " is not " + FORMAT + " versions 1 to " + FORMAT_VERSION);
    }
    inputsSha256 = Map.copyOf(inputsSha256);
    outputsSha256 = Map.copyOf(outputsSha256);
  }
}
