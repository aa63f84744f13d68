package dev.quill.spark.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quill experiment bc-theory --quick}: table 3's tiny grid runs every head and writes the three
 * tables' CSV and PNG files. Rows: each of the 3 token methods has 1 row at n = 10 (n sweep, B = 8) and
 * 3 at n = 30 (B sweep at B = 8 and 32, n sweep at B = 8); the continuous head has 1 row at n = 10 and 2
 * at n = 30 (one per sweep): 3 × 4 + 3 = 15.
 */
class BcTheoryLearnedIT {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BcTheoryLearnedIT.class);
  private static SparkSession spark;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", BcTheoryLearnedIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  @Test
  void quickGrid_everyHead_writesTablesCsvAndPng() throws Exception {
    BcTheoryExperiment.Result r = BcTheoryExperiment.run(spark, ConfigLoader.load(null, List.of("spark.master=local[2]")), 20, 64,
        7, LearnedBcExperiment.Grid.quick(), dir.resolve("out"), dir.resolve("work"));
    assertEquals(15, r.learned().size());
    for (String head : List.of("factorized", "autoregressive", "codebook", "continuous")) {
      assertTrue(r.learned().stream().anyMatch(row -> row.head().equals(head)), head);
    }
    assertTrue(r.learned().stream().allMatch(row -> Double.isFinite(row.meanReturn()) && row.expertSuccess() >= 0.9),
        r.learned().toString());
    for (String f : List.of("tables.md", "table1_binning.csv", "table2_trap.csv", "table3_learned.csv", "table1_binning.png",
        "table2_trap.png", "table3_linear_success_vs_B.png", "table3_linear_return_vs_n.png", "table4_stochastic.csv",
        "table6_models.png")) {
      assertTrue(Files.size(dir.resolve("out").resolve(f)) > 0, f);
    }
    assertEquals(16, Files.readAllLines(dir.resolve("out/table3_learned.csv")).size());
    LOG.info("{}", r.markdown());

    // a second run over the same work directory resumes from its progress file: no cell is trained again
    // (the last cell's policy directory is not rewritten) and the rows are the same, number for number
    Path lastPolicy = dir.resolve("work/linear-n30/policy");
    FileTime before = Files.getLastModifiedTime(lastPolicy);
    List<LearnedBcExperiment.Row> again = LearnedBcExperiment.run(spark,
        ConfigLoader.load(null, List.of("seed=7", "spark.master=local[2]")), LearnedBcExperiment.Grid.quick(), dir.resolve("work"));
    assertEquals(r.learned(), again);
    assertEquals(before, Files.getLastModifiedTime(lastPolicy));
  }
}
