package dev.quill.spark.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quill experiment bc-theory} without table 3 (no Spark): tables 1–2 and 4–6 as text, CSV and PNG. */
class BcTheoryExperimentTest {
  @TempDir
  Path dir;

  @Test
  void run_noGrid_writesTables1To6WithCsvAndPng() throws Exception {
    BcTheoryExperiment.Result r = BcTheoryExperiment.run(null, null, 10, 64, 7, null, dir.resolve("out"), dir.resolve("work"));
    for (String f : List.of("tables.md", "table4_stochastic.csv", "table5_horizon.csv", "table6_models.csv",
        "table4_stochastic.png", "table5_horizon.png", "table6_models.png")) {
      assertTrue(Files.size(dir.resolve("out").resolve(f)) > 0, f);
    }
    // header + 5 noise levels x 4 eps; header + 3 noise levels x 6 horizons; header + 2 noise levels x 4 eps
    assertEquals(21, Files.readAllLines(dir.resolve("out/table4_stochastic.csv")).size());
    assertEquals(19, Files.readAllLines(dir.resolve("out/table5_horizon.csv")).size());
    assertEquals(9, Files.readAllLines(dir.resolve("out/table6_models.csv")).size());
    assertTrue(r.markdown().contains("Table 4.") && r.markdown().contains("Table 5.") && r.markdown().contains("Table 6."));
  }
}
