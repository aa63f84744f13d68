package dev.quill.spark.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.spark.LocalSpark;
import dev.quill.spark.qat.SqilTables.Cell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment sqil} end to end at {@code --quick} size on {@code reach}: two seeds, W8, W2 and W4A4
 * (LSQ activations trained under Spark), methods ptq, qat and sqil. Checks the tables' shape and orderings that
 * hold even at this size: PTQ's discrepancy to the teacher grows from W8 to W2, and SQIL's fine-tuning (which
 * distills the teacher) ends closer to the teacher than PTQ at W2.
 */
class SqilExperimentIT {
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", SqilExperimentIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private static double d(List<Cell> cells, long seed, String precision, String method) {
    return cells.stream().filter(c -> c.seed() == seed && c.precision().equals(precision) && c.method().equals(method))
        .findFirst().orElseThrow().heldoutDiscrepancy();
  }

  @Test
  void quick_reach_tablesHaveTheirShape_andLowBitPtqIsFarthestFromTheTeacher() throws IOException {
    SqilExperiment.Options opt = new SqilExperiment.Options(null, List.of("qat.methods=[ptq, qat, sqil]", "seed=7"),
        List.of("reach"), List.of(Precision.parse("W8"), Precision.parse("W2"), Precision.parse("W4A4")), 2, true, 2000);
    SqilExperiment.Result r = SqilExperiment.run(spark, opt, dir, "test");
    assertEquals(2 * (1 + 3 * 3), r.cells().size());
    assertEquals(2 * 3 * 3, r.tails().size());
    assertEquals(2 * 3, r.concentration().size());
    for (long seed : new long[] {7, 8}) {
      assertTrue(d(r.cells(), seed, "W2", "ptq") > d(r.cells(), seed, "W8", "ptq"),
          "PTQ W2 must be farther from the teacher than PTQ W8, seed " + seed);
      assertTrue(d(r.cells(), seed, "W2", "sqil") < d(r.cells(), seed, "W2", "ptq"),
          "SQIL W2 must end closer to the teacher than PTQ W2, seed " + seed);
      assertEquals(0.0, d(r.cells(), seed, "FP", "fp"), 0.0);
    }
    r.concentration().forEach(c -> assertTrue(c.share() >= 0 && c.share() <= 1 && c.massShare() >= 0 && c.massShare() <= 1, c.toString()));
    r.cells().forEach(c -> assertTrue(c.successRate() >= 0 && c.successRate() <= 1, c.toString()));
    List<String> table1 = Files.readAllLines(r.dir().resolve("table1.csv"));
    assertEquals(1 + 1 + 3 * 3, table1.size());
    assertTrue(table1.stream().skip(1).allMatch(l -> l.split(",")[3].equals("2")), "every line aggregates 2 seeds");
    assertEquals(1 + 3 * 3, Files.readAllLines(r.dir().resolve("table2.csv")).size());
    assertEquals(1 + 2 * 10, Files.readAllLines(r.dir().resolve("runs.csv")).size());
    String md = Files.readString(r.dir().resolve("tables.md"));
    assertTrue(md.contains("| method | FP | W8 | W2 | W4A4 |"), md);
    assertTrue(md.contains(" ± "), md);
    byte[] png = Files.readAllBytes(r.dir().resolve("success-reach.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    assertTrue(Files.isDirectory(dir.resolve("reach/seed-8/qat/sqil-w4a4")));
  }
}
