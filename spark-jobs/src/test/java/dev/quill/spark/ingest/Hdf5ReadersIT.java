package dev.quill.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.BadInputException;
import dev.quill.data.Finding;
import dev.quill.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * D4RL, Minari and robomimic files written by h5py (gzip-compressed chunked datasets included) are read by
 * {@code ingest} with the expected frames, and every HDF5 rule triggers on a crafted file with the expected
 * message. Fixture values: episode e, step t, state j = 100e + 10t + j, action j = -(100e + 10t + j)/1000.
 */
class Hdf5ReadersIT {
  private static SparkSession spark;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", Hdf5ReadersIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private IngestJob.Result ingest(Path input, String policy, String... sets) {
    List<String> all = new ArrayList<>(List.of("ingest.onBadEpisode=" + policy, "ingest.heldoutFraction=0"));
    all.addAll(List.of(sets));
    QuillConfig config = ConfigLoader.load(null, all);
    return IngestJob.run(spark, config, input, dir.resolve("out/dataset"), dir.resolve("out/quarantine"));
  }

  /** Frame {@code frame} of episode {@code episode} in the written dataset. */
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

  private static Finding only(List<Finding> findings, String rule) {
    List<Finding> m = findings.stream().filter(f -> f.rule().equals(rule)).toList();
    assertEquals(1, m.size(), "findings: " + findings);
    return m.get(0);
  }

  @Test
  void d4rl_gzipChunked_episodesEndAtTerminalTimeoutOrFileEnd() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "d4rl"), "fail");
    assertEquals(3, r.episodes());
    assertEquals(4 + 3 + 2, r.frames());
    assertEquals(3, r.stateDim());
    assertEquals(2, r.actionDim());
    Row f = frame(1, 2);
    assertArrayEquals(new float[] {120, 121, 122}, floats(f, "observation.state"));
    assertArrayEquals(new float[] {-0.120f, -0.121f}, floats(f, "action"));
    assertEquals(2f, f.getFloat(f.fieldIndex("next.reward")));
    assertTrue(f.getBoolean(f.fieldIndex("next.done")), "episode 1 ends at a timeout");
    assertTrue(frame(0, 3).getBoolean(frame(0, 3).fieldIndex("next.done")), "episode 0 ends at a terminal");
    assertFalse(frame(2, 1).getBoolean(frame(2, 1).fieldIndex("next.done")), "episode 2 is cut by the file end");
  }

  @Test
  void minari_dropsTheResetObservation() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "minari"), "fail");
    assertEquals(3, r.episodes());
    assertEquals(3 + 2 + 4, r.frames());
    assertArrayEquals(new float[] {230, 231, 232}, floats(frame(2, 3), "observation.state"));
  }

  @Test
  void minariDictObservations_concatenateKeysInConfiguredOrder() {
    Path in = Interop.hdf5(dir.resolve("in"), "minari_dict");
    ingest(in, "fail");
    assertArrayEquals(new float[] {110, 111, 112}, floats(frame(1, 1), "observation.state"), "sorted: a_joint, b_pos");
    ingest(in, "fail", "ingest.obsKeys=[b_pos, a_joint]");
    assertArrayEquals(new float[] {111, 112, 110}, floats(frame(1, 1), "observation.state"));
  }

  @Test
  void robomimic_lowDimObsSkipsImagesAndHonorsMask() {
    Path in = Interop.hdf5(dir.resolve("in"), "robomimic");
    IngestJob.Result all = ingest(in, "fail", "ingest.format=robomimic");
    assertEquals(3, all.episodes());
    assertEquals(3 + 2 + 4, all.frames());
    assertEquals(3, all.stateDim(), "robot0_eef_pos (2) + robot0_gripper_qpos (1); agentview_image skipped");
    assertArrayEquals(new float[] {1020, 1021, 1022}, floats(frame(10, 2), "observation.state"));
    assertTrue(frame(10, 3).getBoolean(frame(10, 3).fieldIndex("next.done")));
    IngestJob.Result train = ingest(in, "fail", "ingest.filterKey=train");
    assertEquals(2, train.episodes());
    assertEquals(3 + 4, train.frames());
  }

  @Test
  void robomimicMissingFilterKey_failsNamingTheMask() {
    Path in = Interop.hdf5(dir.resolve("in"), "robomimic");
    BadInputException e = assertThrows(BadInputException.class, () -> ingest(in, "fail", "ingest.filterKey=test"));
    assertEquals("low_dim.hdf5, key mask/test: split mask/test is missing (ingest.filterKey) (rule missing_key)",
        only(e.findings(), "missing_key").message());
  }

  @Test
  void d4rlNonFinite_isQuarantinedByTheSharedRules() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "d4rl_nonfinite"), "quarantine");
    assertEquals("d.hdf5: episode 1, column action, frame 1: contains a NaN or infinite value (1 row(s)) (rule non_finite)",
        only(r.findings(), "non_finite").message());
    assertEquals(1, r.episodes());
  }

  @Test
  void d4rlMissingKey_failsAndWritesNothing() {
    Path in = Interop.hdf5(dir.resolve("in"), "d4rl_missing");
    BadInputException e = assertThrows(BadInputException.class, () -> ingest(in, "fail"));
    assertEquals("d.hdf5, key actions: dataset actions is missing (rule missing_key)", only(e.findings(), "missing_key").message());
    assertFalse(Files.exists(dir.resolve("out/dataset")));
    assertFalse(Files.exists(dir.resolve("out/quarantine")));
  }

  @Test
  void d4rlRewardsOfRank3_isWrongRank() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> ingest(Interop.hdf5(dir.resolve("in"), "d4rl_rank"), "fail", "ingest.format=d4rl"));
    assertEquals("d.hdf5, key rewards: dataset rewards has shape [7, 1, 1] (rank 3), expected rank [1, 2] (rule wrong_rank)",
        only(e.findings(), "wrong_rank").message());
  }

  @Test
  void actionDimensionDiffersBetweenFiles_quarantinesTheOddFile() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "d4rl_actdim"), "quarantine");
    Finding f = only(r.findings(), "wrong_length");
    assertEquals("b.hdf5: episode 2, column action, frame 0: has the wrong vector length (3 row(s), e.g. length 4 where 2 "
        + "is expected) (rule wrong_length)", f.message());
    assertEquals(2, r.episodes());
  }

  @Test
  void truncatedFile_isReportedAndTheOtherFileKept() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "d4rl_truncated"), "quarantine");
    List<Finding> unreadable = r.findings().stream().filter(f -> f.rule().equals("unreadable_file")).toList();
    assertFalse(unreadable.isEmpty(), "findings: " + r.findings());
    assertTrue(unreadable.stream().allMatch(f -> f.file().equals("b.hdf5")), "findings: " + unreadable);
    assertEquals(2, r.episodes());
    assertEquals(7, r.frames());
  }

  @Test
  void minariObservationCount_isLengthMismatch() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> ingest(Interop.hdf5(dir.resolve("in"), "minari_obs_count"), "fail"));
    assertEquals("data/main_data.hdf5: episode 0, key episode_0/observations: dataset observations has 3 rows, expected 4 "
        + "to match actions (Minari stores one more observation than actions) (rule length_mismatch)",
        e.findings().stream().filter(f -> f.episode() == 0).findFirst().orElseThrow().message());
    assertFalse(Files.exists(dir.resolve("out/dataset")));
  }

  @Test
  void minariOneStepAndEmptyEpisodes_areQuarantined() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "minari_short"), "quarantine");
    assertEquals("data/main_data.hdf5: episode 1, column frame_index: has a single frame (at least 2 are required) "
        + "(1 frame) (rule short_episode)", only(r.findings(), "short_episode").message());
    assertEquals("data/main_data.hdf5: episode 2, key episode_2/actions: the episode has no frames (rule empty_episode)",
        only(r.findings(), "empty_episode").message());
    assertEquals(1, r.episodes());
    assertEquals(3, r.frames());
  }

  @Test
  void minariStringActions_isWrongDtype() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> ingest(Interop.hdf5(dir.resolve("in"), "minari_dtype"), "fail"));
    assertTrue(only(e.findings(), "wrong_dtype").message().startsWith(
        "data/main_data.hdf5: episode 0, key episode_0/actions: dataset actions holds "), e.getMessage());
  }

  @Test
  void minariSameEpisodeInTwoFiles_isDuplicateEpisode() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "minari_duplicate"), "quarantine", "ingest.format=minari");
    assertEquals("a.hdf5, b.hdf5: episode 1, column episode_index: episode_index occurs in more than one file "
        + "(occurs in 2 files) (rule duplicate_episode)", only(r.findings(), "duplicate_episode").message());
    assertEquals(1, r.episodes());
  }

  @Test
  void robomimicMissingActions_isMissingKey() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "robomimic_missing"), "quarantine");
    assertEquals("r.hdf5: episode 1, key data/demo_1/actions: dataset actions is missing (rule missing_key)",
        only(r.findings(), "missing_key").message());
    assertEquals(1, r.episodes());
  }

  @Test
  void robomimicRank1Actions_isWrongRank() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "robomimic_rank"), "quarantine");
    assertEquals("r.hdf5: episode 1, key data/demo_1/actions: dataset actions has shape [2] (rank 1), expected rank 2 "
        + "(rule wrong_rank)", only(r.findings(), "wrong_rank").message());
  }

  @Test
  void robomimicShortRewards_isLengthMismatch() {
    IngestJob.Result r = ingest(Interop.hdf5(dir.resolve("in"), "robomimic_length"), "quarantine");
    assertEquals("r.hdf5: episode 1, key data/demo_1/rewards: dataset rewards has 1 rows, expected 2 to match actions "
        + "(rule length_mismatch)", only(r.findings(), "length_mismatch").message());
    assertEquals(1, r.episodes());
  }
}
