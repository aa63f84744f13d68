package dev.quill.spark.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quill.spark.RunLayout;
import dev.quill.util.Hashing;
import dev.quill.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pipeline stages idempotently: a stage is skipped when its {@link StageManifest} records the same
 * configuration hash and input hashes as now and its outputs still hash to what it wrote; otherwise it
 * runs and its manifest is rewritten (atomically, after its outputs). Hashes of paths are cached for
 * the pipeline run and forgotten when a stage rewrites them. Not thread-safe.
 */
final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
  private final RunLayout layout;
  private final EventLog events;
  private final int total;
  private final Map<Path, String> hashes = new HashMap<>();
  private final List<PipelineJob.StageTime> times = new ArrayList<>();
  private int index;
  private boolean anyRan;

  StageRunner(RunLayout layout, EventLog events, int total) {
    this.layout = layout;
    this.events = events;
    this.total = total;
  }

  /**
   * One stage's definition.
   *
   * @param name stage name (also the manifest's file name)
   * @param config the configuration keys the stage depends on
   * @param inputs input name to path
   * @param outputs output name to path
   * @param body runs the stage
   * @param encode the result as JSON (stored in the manifest)
   * @param decode the result from its JSON (when skipped)
   * @param <T> result type
   */
  record Stage<T>(String name, JsonNode config, Map<String, Path> inputs, Map<String, Path> outputs, Supplier<T> body,
      Function<T, JsonNode> encode, Function<JsonNode, T> decode) {}

  /** Runs {@code stage} unless it is up to date; returns its (possibly recorded) result. */
  <T> T run(Stage<T> stage) {
    index++;
    Path manifestFile = layout.stages().resolve(stage.name() + ".json");
    String configSha = Hashing.sha256(Json.write(stage.config()));
    Map<String, String> in = hashAll(stage.inputs());
    if (Files.isRegularFile(manifestFile)) {
      StageManifest old = Json.read(manifestFile, StageManifest.class);
      if (old.configSha256().equals(configSha) && old.inputsSha256().equals(in)
          && old.outputsSha256().equals(hashAll(stage.outputs()))) {
        LOG.info("[{}/{}] {} skipped: inputs, configuration and outputs unchanged", index, total, stage.name());
        events.emit("stage_skipped", "stage", stage.name());
        times.add(new PipelineJob.StageTime(stage.name(), 0, true));
        return stage.decode().apply(old.result());
      }
    }
    LOG.info("[{}/{}] {} ...", index, total, stage.name());
    events.emit("stage_started", "stage", stage.name());
    long t0 = System.nanoTime();
    T value = stage.body().get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    stage.outputs().values().forEach(hashes::remove);
    Json.writeFile(manifestFile, new StageManifest(StageManifest.FORMAT, StageManifest.FORMAT_VERSION, stage.name(), configSha,
        in, hashAll(stage.outputs()), seconds, stage.encode().apply(value)));
    anyRan = true;
    times.add(new PipelineJob.StageTime(stage.name(), seconds, false));
    LOG.info("[{}/{}] {} done in {}s", index, total, stage.name(), String.format("%.1f", seconds));
    events.emit("stage_finished", "stage", stage.name(), "seconds", seconds);
    return value;
  }

  /** Whether any stage ran (false: everything was up to date). */
  boolean anyRan() {
    return anyRan;
  }

  /** Wall times of the stages so far. */
  List<PipelineJob.StageTime> times() {
    return List.copyOf(times);
  }

  private Map<String, String> hashAll(Map<String, Path> paths) {
    Map<String, String> out = new TreeMap<>();
    paths.forEach((k, p) -> out.put(k, hashes.computeIfAbsent(p, Hashing::sha256)));
    return out;
  }
}
