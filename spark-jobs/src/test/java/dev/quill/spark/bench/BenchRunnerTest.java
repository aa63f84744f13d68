package dev.quill.spark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
  private static final BenchRunner.Options OPTIONS = new BenchRunner.Options(Path.of("peers"), Path.of("out"), 200_000, 3,
      List.of("fused-1t-cpu", "lanes", "local[1]", "local[2]"), "python3", 50);

  @Test
  void ratiosUseTheFirstPeerRowAndTheMeasuredCeilingAndTheBestSingleJvm() {
    List<BenchRunner.Row> rows = List.of(
        new BenchRunner.Row("peer", "PyTorch peer, Haswell", 25_000, 24_000, 4.0032, 450),
        new BenchRunner.Row("peer-own", "PyTorch peer, own detection", 32_000, 38_000, 4.0032, 450),
        new BenchRunner.Row("fused-1t-cpu", "one thread", 30_000, 31_000, 4.01, 1600),
        new BenchRunner.Row("lanes", "lanes", 40_000, 50_000, 4.02, 1700),
        new BenchRunner.Row("local[1]", "Spark local[1]", 20_000, 25_000, 4.0, 1800),
        new BenchRunner.Row("local[2]", "Spark local[2]", 32_000, 40_000, 4.16, 1900));

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
  void rowsAfterTheHistoryNameTheKernelsQuillChose() {
    assertTrue(BenchRunner.rowName("fused-1t-cpu", Optional.of("SkylakeX")).contains("OpenBLAS kernels chosen by Quill (SkylakeX)"));
    assertTrue(BenchRunner.rowName("lanes", Optional.empty()).contains("none for this CPU"));
    assertEquals("Quill single JVM, DL4J fit, 1 thread (before)", BenchRunner.rowName("dl4j", Optional.of("SkylakeX")));
    assertEquals(List.of("dl4j", "fused-1t", "fused-1t-vec"), BenchRunner.HISTORY_MODES);
  }
}
