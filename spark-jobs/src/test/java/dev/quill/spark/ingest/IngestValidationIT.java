package dev.quill.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.BadInputException;
import dev.quill.data.Finding;
import dev.quill.spark.DemoSchema;
import dev.quill.spark.LocalSpark;
import dev.quill.util.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dev.quill.task.image.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every validation rule of {@code ingest} triggers on a crafted input with the expected message; good
 * episodes survive quarantine; {@code fail} writes nothing; inputs are never modified.
 */
class IngestValidationIT {
  private static SparkSession spark;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", IngestValidationIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private static QuillConfig config(String policy) {
    return ConfigLoader.load(null, List.of("ingest.onBadEpisode=" + policy, "ingest.heldoutFraction=0"));
  }

  /** A good episode of {@code n} frames with 3-dim states and 2-dim actions. */
  private static List<Row> episode(long index, int n) {
    List<Row> rows = new ArrayList<>();
    for (int f = 0; f < n; f++) {
      rows.add(row(index, f, new float[] {f, 1, 2}, new float[] {0.5f, -0.5f}));
    }
    return rows;
  }

  private static Row row(long episode, long frame, float[] state, float[] action) {
    return RowFactory.create(episode, frame, frame / 10f, state, action, 0f, false, false);
  }

  private void write(Path input, String file, List<Row> rows) {
    Path tmp = dir.resolve("tmp-" + file);
    spark.createDataFrame(rows, DemoSchema.demonstrations()).coalesce(1).write().parquet(tmp.toUri().toString());
    try (var files = Files.list(tmp)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.createDirectories(input.resolve("data"));
      Files.move(part, input.resolve("data").resolve(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Finding onlyFinding(IngestJob.Result r, String rule) {
    List<Finding> matching = r.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    assertEquals(1, matching.size(), "findings: " + r.findings());
    return matching.get(0);
  }

  private IngestJob.Result ingest(Path input, String policy) {
    return IngestJob.run(spark, config(policy), input, dir.resolve("out/dataset"), dir.resolve("out/quarantine"));
  }

  @Test
  void nonFiniteState_isQuarantinedNamingFileEpisodeColumnFrame() {
    Path in = dir.resolve("in");
    List<Row> bad = new ArrayList<>(episode(1, 5));
    bad.set(3, row(1, 3, new float[] {Float.NaN, 1, 2}, new float[] {0, 0}));
    write(in, "a.parquet", episode(0, 5));
    write(in, "b.parquet", bad);
    IngestJob.Result r = ingest(in, "quarantine");
    Finding f = onlyFinding(r, "non_finite");
    assertEquals("data/b.parquet: episode 1, column observation.state, frame 3: contains a NaN or infinite value "
        + "(1 row(s)) (rule non_finite)", f.message());
    assertEquals(1, r.episodes());
    assertEquals(1, r.quarantinedEpisodes());
    assertTrue(Files.isRegularFile(dir.resolve("out/quarantine/report.json")));
    assertTrue(Files.isDirectory(dir.resolve("out/quarantine/rows")));
  }

  @Test
  void infiniteAction_isNonFinite() {
    Path in = dir.resolve("in");
    List<Row> bad = new ArrayList<>(episode(1, 4));
    bad.set(0, row(1, 0, new float[] {0, 1, 2}, new float[] {Float.POSITIVE_INFINITY, 0}));
    write(in, "a.parquet", episode(0, 4));
    write(in, "b.parquet", bad);
    Finding f = onlyFinding(ingest(in, "quarantine"), "non_finite");
    assertEquals("action", f.column());
    assertEquals(0, f.frame());
  }

  @Test
  void wrongLength_namesObservedAndExpectedLength() {
    Path in = dir.resolve("in");
    List<Row> rows = new ArrayList<>(episode(0, 6));
    rows.addAll(episode(2, 6));
    rows.set(8, row(2, 2, new float[] {1, 2}, new float[] {0, 0}));
    write(in, "a.parquet", rows);
    Finding f = onlyFinding(ingest(in, "quarantine"), "wrong_length");
    assertEquals("data/a.parquet: episode 2, column observation.state, frame 2: has the wrong vector length "
        + "(1 row(s), e.g. length 2 where 3 is expected) (rule wrong_length)", f.message());
  }

  @Test
  void frameGap_isReported() {
    Path in = dir.resolve("in");
    List<Row> gap = new ArrayList<>(episode(4, 5));
    gap.remove(2);
    write(in, "a.parquet", episode(0, 5));
    write(in, "b.parquet", gap);
    Finding f = onlyFinding(ingest(in, "quarantine"), "frame_gap");
    assertTrue(f.message().contains("episode 4, column frame_index"), f.message());
    assertTrue(f.message().contains("4 distinct frame indices span 0..4, expected 0..3"), f.message());
  }

  @Test
  void frameRepeat_isReported() {
    Path in = dir.resolve("in");
    List<Row> rep = new ArrayList<>(episode(3, 4));
    rep.add(row(3, 2, new float[] {0, 1, 2}, new float[] {0, 0}));
    write(in, "a.parquet", episode(0, 5));
    write(in, "b.parquet", rep);
    IngestJob.Result r = ingest(in, "quarantine");
    Finding f = onlyFinding(r, "frame_repeat");
    assertTrue(f.message().contains("5 rows but only 4 distinct frame indices"), f.message());
  }

  @Test
  void duplicatedEpisode_acrossFiles_namesBothFiles() {
    Path in = dir.resolve("in");
    write(in, "a.parquet", episode(0, 3));
    write(in, "b.parquet", episode(7, 3));
    write(in, "c.parquet", episode(7, 3));
    Finding f = ingest(in, "quarantine").findings().stream()
        .filter(x -> x.rule().equals("duplicate_episode")).findFirst().orElseThrow();
    assertEquals("data/b.parquet, data/c.parquet: episode 7, column episode_index: episode_index occurs in more than "
        + "one file (occurs in 2 files) (rule duplicate_episode)", f.message());
  }

  @Test
  void emptyEpisode_listedInMetadataOrEmptyFile_isReported() throws IOException {
    Path in = dir.resolve("in");
    write(in, "a.parquet", episode(0, 3));
    write(in, "empty.parquet", List.of());
    Files.createDirectories(in.resolve("meta"));
    Files.writeString(in.resolve("meta/episodes.jsonl"),
        "{\"episode_index\": 0, \"length\": 3}\n{\"episode_index\": 1, \"length\": 4}\n");
    IngestJob.Result r = ingest(in, "quarantine");
    List<String> messages = r.findings().stream().map(Finding::message).toList();
    assertTrue(messages.contains("meta/episodes.jsonl: episode 1 (length 4) has no frames in the data files (rule empty_episode)"),
        messages.toString());
    assertTrue(messages.contains("data/empty.parquet: the file has no rows, so its episode has no frames (rule empty_episode)"),
        messages.toString());
    assertEquals(1, r.episodes());
  }

  @Test
  void lengthMismatchWithMetadata_isQuarantined() throws IOException {
    Path in = dir.resolve("in");
    write(in, "a.parquet", episode(0, 3));
    write(in, "b.parquet", episode(1, 3));
    Files.createDirectories(in.resolve("meta"));
    Files.writeString(in.resolve("meta/episodes.jsonl"),
        "{\"episode_index\": 0, \"length\": 3}\n{\"episode_index\": 1, \"length\": 5}\n");
    IngestJob.Result r = ingest(in, "quarantine");
    assertTrue(onlyFinding(r, "length_mismatch").message().contains("(metadata 5, data 3)"));
    assertEquals(1, r.episodes());
  }

  @Test
  void imageShape_validIsRecordedInvalidFailsNamingFileAndRule() throws IOException {
    Path in = dir.resolve("in");
    write(in, "a.parquet", episode(0, 4));
    Files.createDirectories(in.resolve("meta"));
    String info = "{\"features\": {\"observation.state\": {\"dtype\": \"float32\", \"shape\": [3], "
        + "\"image_shape\": %s}, \"action\": {\"dtype\": \"float32\", \"shape\": [2]}}}";
    Files.writeString(in.resolve("meta/info.json"), String.format(info, "[3, 1, 1]"));
    ingest(in, "quarantine");
    assertEquals(new ImageShape(3, 1, 1), DatasetMeta.read(dir.resolve("out/dataset")).imageShape());

    Files.writeString(in.resolve("meta/info.json"), String.format(info, "[1, 2, 2]"));
    BadInputException e = assertThrows(BadInputException.class, () -> IngestJob.run(spark, config("quarantine"), in,
        dir.resolve("out2/dataset"), dir.resolve("out2/quarantine")));
    assertTrue(e.getMessage().contains("meta/info.json: features.observation.state.image_shape [1,2,2] is not three "
        + "positive integers [C, H, W] whose product is the state's shape (3) (rule bad_image_shape)"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out2/dataset")));
  }

  @Test
  void missingColumn_failsNamingColumn() {
    Path in = dir.resolve("in/data");
    StructType schema = new StructType().add("episode_index", DataTypes.LongType).add("frame_index", DataTypes.LongType)
        .add("action", DataTypes.createArrayType(DataTypes.FloatType));
    spark.createDataFrame(List.of(RowFactory.create(0L, 0L, new float[] {1f})), schema).write().parquet(in.toUri().toString());
    BadInputException e = assertThrows(BadInputException.class, () -> ingest(dir.resolve("in"), "quarantine"));
    assertTrue(e.getMessage().contains("column observation.state is missing"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out/dataset")));
  }

  @Test
  void failPolicy_writesNothingAndListsFindings() {
    Path in = dir.resolve("in");
    List<Row> bad = new ArrayList<>(episode(1, 5));
    bad.set(1, row(1, 1, new float[] {0, Float.NaN, 2}, new float[] {0, 0}));
    write(in, "a.parquet", episode(0, 5));
    write(in, "b.parquet", bad);
    BadInputException e = assertThrows(BadInputException.class, () -> ingest(in, "fail"));
    assertTrue(e.getMessage().contains("found 1 problem(s); nothing was written"), e.getMessage());
    assertTrue(e.getMessage().contains("episode 1, column observation.state, frame 1"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out/dataset")));
    assertFalse(Files.exists(dir.resolve("out/quarantine")));
  }

  @Test
  void inputs_areNeverModified_andGoodDataKeepsEveryFrame() {
    Path in = dir.resolve("in");
    List<Row> rows = new ArrayList<>();
    for (int e = 0; e < 6; e++) {
      rows.addAll(episode(e, 4 + e));
    }
    rows.set(2, row(0, 2, new float[] {Float.NaN, 0, 0}, new float[] {0, 0}));
    write(in, "a.parquet", rows);
    String before = Hashing.sha256(in);
    IngestJob.Result r = ingest(in, "quarantine");
    assertEquals(before, Hashing.sha256(in));
    assertEquals(5, r.episodes());
    assertEquals(5 + 6 + 7 + 8 + 9, r.frames());
  }
}
