package dev.quill.spark.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One Lloyd step on hand-computed 2-D examples, without Spark. */
class LloydStatsTest {
  // (0,0) (1,0) (0,1) belong to centre (0,0); (10,10) (11,10) to centre (10,10); (100,100) gets no point
  private static final PointBlock FIVE = new PointBlock(2, new double[] {0, 0, 1, 0, 0, 1, 10, 10, 11, 10});
  private static final Centres THREE = new Centres(new double[][] {{0, 0}, {10, 10}, {100, 100}});

  @Test
  void of_twoClusters_countsSumsAndInertiaByHand() {
    LloydStats s = LloydStats.of(FIVE, THREE);
    assertEquals(3, s.count(0));
    assertEquals(2, s.count(1));
    assertEquals(0, s.count(2));
    assertEquals(0 + 1 + 1 + 0 + 1, s.inertia(), 1e-12);
  }

  @Test
  void update_twoClusters_meansAndEmptyCentreStays() {
    double[][] next = LloydStats.of(FIVE, THREE).update(THREE).toArrays();
    assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3}, next[0], 1e-15);
    assertArrayEquals(new double[] {10.5, 10}, next[1], 1e-15);
    assertArrayEquals(new double[] {100, 100}, next[2], 0);
  }

  @Test
  void of_pointEquidistantFromTwoCentres_goesToLowerIndex() {
    // (5,5) is at squared distance 50 from (0,0) and from (10,10)
    LloydStats s = LloydStats.of(new PointBlock(2, new double[] {5, 5}), THREE);
    assertEquals(1, s.count(0));
    assertEquals(0, s.count(1));
    assertEquals(50, s.inertia(), 1e-12);
  }

  @Test
  void merge_twoHalves_equalsWhole() {
    LloydStats a = LloydStats.of(new PointBlock(2, new double[] {0, 0, 1, 0, 0, 1}), THREE);
    LloydStats b = LloydStats.of(new PointBlock(2, new double[] {10, 10, 11, 10}), THREE);
    LloydStats whole = LloydStats.of(FIVE, THREE);
    LloydStats merged = a.merge(b);
    assertEquals(whole.inertia(), merged.inertia(), 1e-12);
    assertArrayEquals(whole.update(THREE).toArrays()[0], merged.update(THREE).toArrays()[0], 1e-15);
    assertArrayEquals(whole.update(THREE).toArrays()[1], merged.update(THREE).toArrays()[1], 1e-15);
  }

  @Test
  void of_farFromOriginNearlyTiedCentres_picksTrueNearest() {
    // ||c||^2 - 2 x.c loses digits far from the origin; the nearest centre must still win by 1e-3
    Centres c = new Centres(new double[][] {{1000, 1000}, {1000.002, 1000}});
    LloydStats s = LloydStats.of(new PointBlock(2, new double[] {1000.0015, 1000}), c);
    assertEquals(1, s.count(1));
    assertEquals(0.0005 * 0.0005, s.inertia(), 1e-12);
  }

  @Test
  void of_dimensionMismatch_namesBothDimensions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LloydStats.of(new PointBlock(3, new double[] {1, 2, 3}), THREE));
    assertTrue(e.getMessage().contains("dimension 3") && e.getMessage().contains("centres 2"), e.getMessage());
  }

  @Test
  void pack_threePoints_rowMajor() {
    PointBlock b = PointBlock.pack(List.of(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6}).iterator(), 2);
    assertEquals(3, b.size());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, b.values(), 0);
    assertArrayEquals(new double[] {3, 4}, b.point(1), 0);
  }

  @Test
  void pack_pointOfWrongLength_namesIndexAndLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PointBlock.pack(List.of(new double[] {1, 2}, new double[] {3}).iterator(), 2));
    assertEquals("point 1 of the partition has 1 values, expected 2", e.getMessage());
  }
}
