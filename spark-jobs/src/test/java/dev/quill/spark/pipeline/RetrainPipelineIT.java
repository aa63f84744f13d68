package dev.quill.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.promote.GateDecision;
import dev.quill.promote.PromotionGate;
import dev.quill.spark.LocalSpark;
import dev.quill.spark.RunLayout;
import dev.quill.spark.generate.GenerateJob;
import dev.quill.util.Hashing;
import dev.quill.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled retraining on an external source: the first run promotes its policy, a rerun of the
 * unchanged pipeline skips every stage and changes no byte of the run directory, and after episodes
 * are appended to the source every stage from ingest on reruns, training warm-starts from
 * {@code models/current}, and the gate records both metrics.
 */
class RetrainPipelineIT {
  private static final List<String> SETTINGS = List.of("task.name=linear", "task.episodes=200", "task.expertNoise=0",
      "quantize.numBins=64", "train.hidden=[64, 64]", "train.batchSize=64", "train.epochs=4", "eval.episodes=20");
  private static SparkSession spark;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", RetrainPipelineIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  @Test
  void pipeline_rerunAndAppend_skipsUnchangedAndWarmStarts() throws IOException {
    QuillConfig config = ConfigLoader.load(null, SETTINGS);
    Path source = dir.resolve("source");
    GenerateJob.run(spark, config, source);
    RunLayout layout = new RunLayout(dir.resolve("run"));

    PipelineJob.Result first = run(config, layout, source, new ByteArrayOutputStream());
    assertTrue(first.gate().promoted());
    assertEquals("no current model", first.gate().reason());
    assertTrue(Files.isRegularFile(layout.models().resolve(PromotionGate.CURRENT).resolve("network.zip")));
    String report = Files.readString(layout.report());
    assertEquals(3, report.split("src=\"data:image/png;base64,", -1).length - 1, "three plots in report.html");
    assertTrue(report.contains("<td>train</td>"), report);

    Map<String, String> before = snapshot(layout.root());
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    PipelineJob.Result rerun = run(config, layout, source, events);
    assertFalse(rerun.changed());
    assertTrue(rerun.stages().stream().allMatch(PipelineJob.StageTime::skipped), rerun.stages().toString());
    assertEquals(before, snapshot(layout.root()), "an unchanged rerun must not change any byte or timestamp");
    assertEquals(first.eval().policy(), rerun.eval().policy());
    List<String> lines = events.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(7, lines.stream().filter(l -> l.contains("\"event\":\"stage_skipped\"")).count(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("{\"time\":\"2026-01-02T03:04:05Z\",\"event\":\"stage_skipped\",\"stage\":\"ingest\"}"),
        lines.get(0));

    appendEpisodes(config, source, 100);
    ByteArrayOutputStream events3 = new ByteArrayOutputStream();
    PipelineJob.Result third = run(config, layout, source, events3);
    assertTrue(third.changed());
    assertTrue(third.stages().stream().noneMatch(PipelineJob.StageTime::skipped), third.stages().toString());
    assertEquals(first.ingest().episodes() + 100, third.ingest().episodes());
    assertTrue(third.train().epochs().get(0).heldoutLoss() < 0.8 * first.train().epochs().get(0).heldoutLoss(),
        "warm start: first epoch " + third.train().epochs().get(0).heldoutLoss() + " vs cold " + first.train().epochs().get(0).heldoutLoss());
    GateDecision gate = Json.read(layout.models().resolve(PromotionGate.DECISION_JSON), GateDecision.class);
    assertNotNull(gate.currentValue());
    assertEquals(first.eval().policy().successRate(), gate.currentValue(), 1e-12);
    assertEquals(third.eval().policy().successRate(), gate.candidateValue(), 1e-12);
    assertEquals(4, events3.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"event\":\"epoch\"")).count());
    JsonNode metrics = Json.read(layout.metrics(), JsonNode.class);
    assertEquals(gate.promoted(), metrics.path("gate").path("promoted").asBoolean());
  }

  private static PipelineJob.Result run(QuillConfig config, RunLayout layout, Path source, ByteArrayOutputStream events) {
    Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    try (EventLog log = EventLog.to(new PrintStream(events, true, StandardCharsets.UTF_8), clock)) {
      return PipelineJob.run(spark, config, layout, "test", new PipelineJob.Options(source, false, log));
    }
  }

  /** Appends {@code n} new episodes (indices after the existing ones) as one more Parquet file plus episodes.jsonl lines. */
  private void appendEpisodes(QuillConfig config, Path source, int n) throws IOException {
    QuillConfig more = ConfigLoader.load(null, List.of("task.name=linear", "task.episodes=" + n, "task.expertNoise=0", "seed=99"));
    Path extra = dir.resolve("extra");
    GenerateJob.run(spark, more, extra);
    long offset = Files.readAllLines(source.resolve("meta/episodes.jsonl")).size();
    Path tmp = dir.resolve("extra-shifted");
    spark.read().parquet(extra.resolve("data").toString())
        .withColumn("episode_index", functions.col("episode_index").plus(offset))
        .coalesce(1).write().parquet(tmp.toString());
    try (Stream<Path> files = Files.list(tmp)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.copy(part, source.resolve("data").resolve("appended.parquet"));
    }
    StringBuilder lines = new StringBuilder();
    for (String line : Files.readAllLines(extra.resolve("meta/episodes.jsonl"))) {
      JsonNode e = Json.MAPPER.readTree(line);
      lines.append(line.replace("\"episode_index\":" + e.get("episode_index").asLong(),
          "\"episode_index\":" + (e.get("episode_index").asLong() + offset))).append('\n');
    }
    Files.writeString(source.resolve("meta/episodes.jsonl"), lines.toString(), StandardOpenOption.APPEND);
  }

  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Hashing.sha256(p) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }
}
