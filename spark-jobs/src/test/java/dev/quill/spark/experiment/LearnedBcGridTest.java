package dev.quill.spark.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

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
  void named_unknown_namesTheKnownGrids() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearnedBcExperiment.Grid.named("huge"));
    assertEquals("unknown grid huge; known: quick, medium, reach, full", e.getMessage());
  }
}
