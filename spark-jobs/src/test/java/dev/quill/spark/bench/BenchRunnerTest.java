package dev.quill.spark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
  private static final BenchRunner.Options OPTIONS = new BenchRunner.Options(Path.of("peers"), Path.of("out"), 200_000, 3,
      List.of("fused-1t-cpu", "lanes", "local[1]", "local[2]"), "python3", 50, 1);

  @Test
  void ratiosUseTheFirstPeerRowAndTheMeasuredCeilingAndTheBestSingleJvm() {
    List<BenchRunner.Row> rows = List.of(
        new BenchRunner.Row("peer", "PyTorch peer, Haswell", 25_000, 24_000, 4.0032, 450, 1),
        new BenchRunner.Row("peer-own", "PyTorch peer, own detection", 32_000, 38_000, 4.0032, 450, 1),
        new BenchRunner.Row("fused-1t-cpu", "one thread", 30_000, 31_000, 4.01, 1600, 1),
        new BenchRunner.Row("lanes", "lanes", 40_000, 50_000, 4.02, 1700, 1),
        new BenchRunner.Row("local[1]", "Spark local[1]", 20_000, 25_000, 4.0, 1800, 1),
        new BenchRunner.Row("local[2]", "Spark local[2]", 32_000, 40_000, 4.16, 1900, 1));

    String table = BenchRunner.render(rows, OPTIONS, 80_000, Optional.of("SkylakeX"));

    assertTrue(table.contains("| run | ex/s | last epoch ex/s | ratio to peer | ratio to ceiling |"), table);
    assertTrue(table.contains("| lanes | 40,000 | 50,000 | 1.60 | 0.50 | 4.0200 | 1700 |"), table);
    assertTrue(table.contains("| PyTorch peer, own detection | 32,000 | 38,000 | 1.28 | 0.40 |"), table);
    assertTrue(table.contains("OpenBLAS kernels SkylakeX) | 80,000 | | 3.20 | 1.00 |"), table);
    assertTrue(table.contains("local[2] / local[1] throughput: 1.60"), table);
    assertTrue(table.contains("local[2] / best single JVM (lanes): 0.80"), table);
    assertTrue(table.contains("best single JVM (lanes) / peer: 1.60"), table);
    assertTrue(table.contains("best single JVM (lanes) / peer-own: 1.25"), table);
  }

  @Test
  void repeatedRounds_rowsShowMediansAndRanges_ratiosPairRunsOfTheSameRound() {
    BenchRunner.Options three = new BenchRunner.Options(Path.of("peers"), Path.of("out"), 200_000, 3,
        List.of("lanes", "local[1]", "local[2]-lanes"), "python3", 50, 3);
    // Per round: peer, lanes, local[1], local[2]-lanes as (ex/s, held-out loss, peak RSS); last epoch = ex/s + 1,000.
    List<BenchRunner.Row> rows = new java.util.ArrayList<>();
    double[][][] rounds = {
        {{25_000, 4.0, 450}, {40_000, 4.02, 1700}, {30_000, 4.01, 1800}, {38_000, 4.03, 1900}},
        {{30_000, 4.0, 460}, {60_000, 4.04, 1750}, {40_000, 4.03, 1800}, {62_000, 4.01, 1900}},
        // local[1] failed in round 3: its ratios pair rounds 1 and 2 only.
        {{20_000, 4.0, 440}, {50_000, 4.00, 1720}, null, {48_000, 4.02, 1950}}};
    String[][] modes = {{"peer", "PyTorch peer"}, {"lanes", "lanes"}, {"local[1]", "Spark local[1]"},
        {"local[2]-lanes", "Spark lanes"}};
    for (int r = 0; r < rounds.length; r++) {
      for (int m = 0; m < modes.length; m++) {
        double[] v = rounds[r][m];
        if (v != null) {
          rows.add(new BenchRunner.Row(modes[m][0], modes[m][1], v[0], v[0] + 1_000, v[1], v[2], r + 1));
        }
      }
    }

    String table = BenchRunner.render(rows, three, 100_000, Optional.of("SkylakeX"));

    assertTrue(table.contains("3 interleaved rounds, each row the median of its runs"), table);
    assertTrue(table.contains("| run | ex/s | ex/s range | last epoch ex/s | ratio to peer |"), table);
    // Medians: ex/s 50,000 of {40, 60, 50}k, last epoch 51,000, loss 4.02 of {4.02, 4.04, 4.00}; peak RSS the largest.
    assertTrue(table.contains("| lanes | 50,000 | 40,000–60,000 (3 runs) | 51,000 | 2.00 | 0.50 | 4.0200 | 1750 |"), table);
    assertTrue(table.contains("| Spark local[1] | 35,000 | 30,000–40,000 (2 runs) | 36,000 |"), table);
    // Paired by round: 38/30 = 1.27 and 62/40 = 1.55, median 1.41.
    assertTrue(table.contains("local[2]-lanes / local[1] throughput: 1.41 (median of 2 rounds' paired ratios, range 1.27–1.55)"),
        table);
    // 38/40 = 0.95, 62/60 = 1.03, 48/50 = 0.96.
    assertTrue(table.contains("local[2]-lanes / best single JVM (lanes): 0.96 (median of 3 rounds' paired ratios, range 0.95–1.03)"),
        table);
    // 40/25 = 1.6, 60/30 = 2.0, 50/20 = 2.5.
    assertTrue(table.contains("best single JVM (lanes) / peer: 2.00 (median of 3 rounds' paired ratios, range 1.60–2.50)"), table);
  }

  @Test
  void repeat_outOfRange_isRefusedWithItsValue() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new BenchRunner.Options(Path.of("p"), Path.of("o"), 10, 1, List.of("lanes"), "python3", 50, 0));
    assertEquals("--repeat must be in [1, 50], was 0", e.getMessage());
  }

  @Test
  void rowsAfterTheHistoryNameTheKernelsQuillChose() {
    assertTrue(BenchRunner.rowName("fused-1t-cpu", Optional.of("SkylakeX")).contains("OpenBLAS kernels chosen by Quill (SkylakeX)"));
    assertTrue(BenchRunner.rowName("lanes", Optional.empty()).contains("none for this CPU"));
    assertEquals("Quill single JVM, DL4J fit, 1 thread (before)", BenchRunner.rowName("dl4j", Optional.of("SkylakeX")));
    assertEquals(List.of("dl4j", "fused-1t", "fused-1t-vec"), BenchRunner.HISTORY_MODES);
  }

  @Test
  void bf16Rows_useTheBf16Ceiling_andTheirRatiosStayWithinTheirPrecision() {
    List<BenchRunner.Row> rows = List.of(
        new BenchRunner.Row("peer", "PyTorch peer", 40_000, 40_000, 4.0, 450, 1),
        new BenchRunner.Row("lanes", "lanes", 44_000, 44_000, 4.02, 1700, 1),
        new BenchRunner.Row("lanes-bf16", "lanes bf16", 80_000, 84_000, 4.01, 1600, 1),
        new BenchRunner.Row("local[1]", "Spark local[1]", 28_000, 28_000, 4.02, 1800, 1),
        new BenchRunner.Row("local[1]-bf16", "Spark local[1] bf16", 48_000, 48_000, 4.01, 1800, 1),
        new BenchRunner.Row("local[2]-bf16", "Spark local[2] bf16", 84_000, 86_000, 4.16, 1900, 1));

    String table = BenchRunner.render(rows, OPTIONS, 60_000, 120_000, Optional.of("SkylakeX"));

    // fp32 rows against the fp32 ceiling (44k / 60k), bf16 rows against the bf16 one (80k / 120k).
    assertTrue(table.contains("| lanes | 44,000 | 44,000 | 1.10 | 0.73 | 4.0200 |"), table);
    assertTrue(table.contains("| lanes bf16 | 80,000 | 84,000 | 2.00 | 0.67 | 4.0100 |"), table);
    assertTrue(table.contains("with bf16 products (layers past the first; their conversions included) | 120,000 | | 3.00 | 2.00 |"),
        table);
    // Each precision's Spark rows against its own local[1] and its own fastest single JVM.
    assertTrue(table.contains("local[2]-bf16 / local[1]-bf16 throughput: 1.75"), table);
    assertTrue(table.contains("local[2]-bf16 / best single JVM (lanes-bf16): 1.05"), table);
    assertTrue(table.contains("best single JVM (lanes) / peer: 1.10"), table);
    assertTrue(table.contains("best single JVM (lanes-bf16) / peer: 2.00"), table);
    // Held-out losses against the peer's 4.0: +0.25 % (4.01) and +4.00 % (4.16).
    assertTrue(table.contains("lanes-bf16 final held-out loss against the peer's: +0.25 %"), table);
    assertTrue(table.contains("local[2]-bf16 final held-out loss against the peer's: +4.00 %"), table);
    assertTrue(BenchRunner.rowName("local[2]-global-bf16", Optional.of("SkylakeX"))
        .endsWith("(train.batchScope: global), bf16 products (train.precision: bf16)"));
  }

  @Test
  void modeSuffixes_bf16AfterGlobalAfterLanes() {
    assertTrue(BenchTraining.bf16("local[2]-global-bf16"));
    assertEquals("local[2]-global", BenchTraining.withoutBf16("local[2]-global-bf16"));
    assertEquals("local[2]", BenchTraining.master("local[2]-global-bf16"));
    assertTrue(BenchTraining.globalBatch("local[2]-global-bf16"));
    assertTrue(BenchTraining.workerLanes("local[2]-lanes-bf16"));
    assertEquals("local[2]", BenchTraining.master("local[2]-lanes-bf16"));
    assertEquals("lanes", BenchTraining.withoutBf16("lanes-bf16"));
    assertTrue(!BenchTraining.bf16("local[2]-lanes") && !BenchTraining.globalBatch("local[2]-lanes"));
  }

  @Test
  void peerRowSaysWhoSetTheKernels() {
    assertEquals("as Quill's launcher chose them for this CPU (the machine sets none)",
        BenchRunner.kernelsSetBy("launcher"));
    assertEquals("as this machine sets them", BenchRunner.kernelsSetBy(null));
  }

  @Test
  void togetherLineGivesTheCoresScalingAndTheLanesBound() {
    // 2 cores: 8 ms alone, 10 ms each together at 256 rows -> 2 * 8 / 10 = 1.60x; 128 rows each in 5 ms -> 8 / 5 = 1.60x.
    assertEquals("the step's GEMMs on 2 cores at once: 1.60x one core's speed at the full minibatch (10.000 ms per step each,"
        + " 8.000 ms alone); at 128 rows each (the lanes' share) one step takes 5.000 ms, so 2 lanes can gain at most 1.60x"
        + " over one core from the GEMMs" + System.lineSeparator(), BenchRunner.together(2, 8, 10, 128, 5));
    assertEquals("", BenchRunner.together(1, 8, 8, 256, 8));
    assertEquals("", BenchRunner.together(2, 8, 0, 128, 5));
  }

  @Test
  void eachRowHoldsTheLeversAfterItOff() {
    assertEquals(List.of("-Dquill.vectorSoftmax=false"), BenchRunner.leverFlags("fused-1t"));
    for (String mode : List.of("fused-1t-vec", "fused-1t-cpu", "single", "lanes-adam-copies")) {
      assertEquals(List.of("-Dquill.vectorAdam=false"), BenchRunner.leverFlags(mode), mode);
    }
    for (String mode : List.of("dl4j", "lanes", "local[1]", "local[2]-lanes")) {
      assertEquals(List.of(), BenchRunner.leverFlags(mode), mode);
    }
    assertTrue(BenchRunner.rowName("lanes-adam-copies", Optional.of("SkylakeX")).endsWith("Adam through heap copies (before)"));
    assertTrue(BenchRunner.rowName("lanes", Optional.of("SkylakeX")).endsWith("+ one-pass Vector API Adam"));
  }

  @Test
  void localClusterModesGetASparkHomeTheirWorkersMemoryAndARowNameThatSaysWhereExecutorsRun(
      @org.junit.jupiter.api.io.TempDir Path out) throws Exception {
    Map<String, String> env = BenchRunner.executorJvmEnv("local-cluster[1,2,3072]-lanes", Map.of(), out);
    assertEquals(out.resolve("spark-home").toAbsolutePath().toString(), env.get("SPARK_HOME"));
    assertTrue(Files.isDirectory(out.resolve("spark-home").resolve("jars")), "Spark's launcher looks in jars/");
    assertEquals("2.12", env.get("SPARK_SCALA_VERSION"));
    assertEquals("127.0.0.1", env.get("SPARK_LOCAL_IP"));
    Map<String, String> given = Map.of("SPARK_HOME", "/opt/spark", "SPARK_SCALA_VERSION", "2.12", "SPARK_LOCAL_IP", "10.0.0.1");
    assertTrue(BenchRunner.executorJvmEnv("local-cluster[1,2,3072]", given, out).isEmpty(), "the machine's settings win");
    assertTrue(BenchRunner.executorJvmEnv("local[2]-lanes", Map.of(), out.resolve("none")).isEmpty());
    assertTrue(!Files.exists(out.resolve("none")), "nothing made for local modes");

    assertEquals("3072m", BenchTraining.executorMemory("local-cluster[1,2,3072]"));
    assertEquals("1024m", BenchTraining.executorMemory("local-cluster[2, 1, 1024]"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> BenchTraining.executorMemory("local-cluster[2,1]"));
    assertEquals("expected local-cluster[workers, cores, megabytes per worker], got local-cluster[2,1]", e.getMessage());

    assertEquals("Quill Spark local-cluster[1,2,3072] (executors in JVMs of their own, given the Vector API module by"
        + " Quill), one fused worker per executor with a lane per core (spark.workerLanes), Vector API softmax, OpenBLAS"
        + " kernels chosen by Quill (SkylakeX)", BenchRunner.rowName("local-cluster[1,2,3072]-lanes", Optional.of("SkylakeX")));
    System.setProperty("spark.quill.executorVectorModule", "false");
    try {
      assertTrue(BenchRunner.rowName("local-cluster[1,2,3072]-lanes", Optional.of("SkylakeX"))
          .contains("without the Vector API module: spark.quill.executorVectorModule=false"));
    } finally {
      System.clearProperty("spark.quill.executorVectorModule");
    }
    assertEquals("", BenchRunner.executorJvms("local[2]-lanes"));
  }
}
