package dev.quill.spark.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnedBcGridTest {

  @Test
  void named_reach_isTheDemoSizedReachGrid() {
    LearnedBcExperiment.Grid g = LearnedBcExperiment.Grid.named("reach");
    assertEquals(List.of("reach"), g.tasks());
    assertEquals(List.of(8, 32, 128, 512), g.bins());
    assertEquals(List.of(30, 100, 300, 600), g.demos());
    // The n sweep's B and the B sweep's n are both on the other sweep, so their crossing cell is trained once.
    assertTrue(g.bins().contains(g.fixedBins()));
    assertTrue(g.demos().contains(g.fixedDemos()));
    assertEquals(30, g.epochs());
    assertEquals(List.of(256, 256), g.hidden());
    assertEquals(100, g.evalEpisodes());
  }

  @Test
  void withDemos_replacesOnlyTheNSweep() {
    LearnedBcExperiment.Grid g = LearnedBcExperiment.Grid.named("reach").withDemos(List.of(600));
    assertEquals(List.of(600), g.demos());
    assertEquals(600, g.fixedDemos());
    assertEquals(List.of(8, 32, 128, 512), g.bins());
    assertEquals(LearnedBcExperiment.Grid.reach(), LearnedBcExperiment.Grid.reach().withDemos(null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LearnedBcExperiment.Grid.reach().withDemos(List.of(0)));
    assertEquals("--demos 0 must be at least 1 demonstration", e.getMessage());
  }

  @Test
  void progress_writtenAndRead_roundTripsEveryCellExactly(@TempDir Path dir) throws Exception {
    LearnedBcExperiment.Row a = new LearnedBcExperiment.Row("reach", "B", "uniform", "factorized", 8, 600, 0.97,
        0.8237123456789, 1.0, 0.85834, 0.5354612345);
    LearnedBcExperiment.Row c = new LearnedBcExperiment.Row("reach", "n", "none", "continuous", 0, 30, 0.01, -0.1753, 1.0,
        0.85834, 0.2936);
    Path file = dir.resolve("cells.csv");
    Files.writeString(file, LearnedBcExperiment.progressCsv(List.of(a, c)));
    Map<String, LearnedBcExperiment.Row> read = LearnedBcExperiment.readCells(file);
    assertEquals(List.of("reach/uniform/factorized/8/600", "reach/none/continuous/0/30"), List.copyOf(read.keySet()));
    // the sweep is not part of a cell (one cell can serve both sweeps); every number reads back bit for bit
    assertEquals(new LearnedBcExperiment.Row("reach", "", "uniform", "factorized", 8, 600, 0.97, 0.8237123456789, 1.0,
        0.85834, 0.5354612345), read.get("reach/uniform/factorized/8/600"));
    assertTrue(LearnedBcExperiment.readCells(dir.resolve("absent.csv")).isEmpty());
  }

  @Test
  void progress_truncatedLine_namesFileLineAndFix(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cells.csv");
    Files.writeString(file, "header\nreach,,uniform,factorized,8\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearnedBcExperiment.readCells(file));
    assertEquals("table 3 progress " + file + " line 2 has 5 fields, expected 11 (delete the file to start the grid over)",
        e.getMessage());
  }

  @Test
  void progressName_recordsWhatShapesACell() {
    QuillConfig base = ConfigLoader.load(null, List.of("seed=7", "spark.master=local[2]"));
    assertEquals("cells-e30-h256x256-eval100-seed7-p4-local_2_.csv",
        LearnedBcExperiment.progressName(base, LearnedBcExperiment.Grid.reach()));
  }

  @Test
  void named_unknown_namesTheKnownGrids() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearnedBcExperiment.Grid.named("huge"));
    assertEquals("unknown grid huge; known: quick, medium, reach, full", e.getMessage());
  }
}
