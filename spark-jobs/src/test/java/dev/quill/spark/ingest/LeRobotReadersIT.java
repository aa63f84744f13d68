package dev.quill.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.data.Finding;
import dev.quill.spark.LocalSpark;
import dev.quill.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LeRobot v2.1 (one Parquet file per episode) and v3.0 (several episodes per file, boundaries in
 * {@code meta/episodes/}) written by hyparquet-writer, not by Spark, are read with the expected frames;
 * video features are skipped with a note; timestamp and episode-length rules trigger.
 * Fixture values: episode e, frame t, state j = 100e + 10t + j; timestamp t / 10.
 */
class LeRobotReadersIT {
  private static SparkSession spark;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", LeRobotReadersIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private IngestJob.Result ingest(Path input, String policy) {
    return IngestJob.run(spark, ConfigLoader.load(null, List.of("ingest.onBadEpisode=" + policy, "ingest.heldoutFraction=0",
        "ingest.format=auto")), input, dir.resolve("out/dataset"), dir.resolve("out/quarantine"));
  }

  private Row frame(long episode, long frame) {
    return spark.read().parquet(dir.resolve("out/dataset/data").toString())
        .filter("episode_index = " + episode + " AND frame_index = " + frame).first();
  }

  private static float[] floats(Row r, String column) {
    List<Float> v = r.getList(r.fieldIndex(column));
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }

  @Test
  void v21_perEpisodeFiles_readWithVideoFeatureNoted() {
    IngestJob.Result r = ingest(Interop.lerobot(dir.resolve("in"), "v21"), "fail");
    assertEquals(3, r.episodes());
    assertEquals(3 + 4 + 2, r.frames());
    Row f = frame(1, 2);
    assertArrayEquals(new float[] {120, 121, 122}, floats(f, "observation.state"));
    assertArrayEquals(new float[] {-0.120f, -0.121f}, floats(f, "action"));
    assertEquals(0.2f, f.getFloat(f.fieldIndex("timestamp")), 1e-6);
    Map<?, ?> report = Json.read(dir.resolve("out/quarantine/report.json"), Map.class);
    assertEquals("lerobot", report.get("format"));
    assertTrue(report.get("notes").toString().contains("feature observation.images.top (dtype video) is skipped"),
        report.toString());
  }

  @Test
  void v30_multiEpisodeFiles_lengthsFromEpisodesParquet() {
    Path in = Interop.lerobot(dir.resolve("in"), "v30");
    IngestJob.Result r = ingest(in, "fail");
    assertEquals(3, r.episodes());
    assertEquals(3 + 4 + 2, r.frames());
    assertArrayEquals(new float[] {210, 211, 212}, floats(frame(2, 1), "observation.state"));
  }

  @Test
  void v30_episodeMissingFromData_isReportedAgainstEpisodesParquet() throws Exception {
    Path in = Interop.lerobot(dir.resolve("in"), "v30");
    Files.delete(in.resolve("data/chunk-000/file-001.parquet"));
    IngestJob.Result r = ingest(in, "quarantine");
    assertEquals("meta/episodes/: episode 2 (length 2) has no frames in the data files (rule empty_episode)",
        r.findings().stream().filter(f -> f.rule().equals("empty_episode")).findFirst().orElseThrow().message());
    assertEquals(2, r.episodes());
  }

  @Test
  void v21_nonMonotoneTimestampAndOneFrameEpisode_areQuarantined() {
    IngestJob.Result r = ingest(Interop.lerobot(dir.resolve("in"), "v21_bad"), "quarantine");
    Finding ts = r.findings().stream().filter(f -> f.rule().equals("non_monotone_timestamp")).findFirst().orElseThrow();
    assertEquals("data/chunk-000/episode_000001.parquet: episode 1, column timestamp, frame 2: timestamp does not increase "
        + "with frame_index (timestamp 0.05 after 0.1 at frame 1) (rule non_monotone_timestamp)", ts.message());
    Finding shortEp = r.findings().stream().filter(f -> f.rule().equals("short_episode")).findFirst().orElseThrow();
    assertEquals(2, shortEp.episode());
    assertEquals(1, r.episodes());
    assertEquals(3, r.frames());
  }
}
