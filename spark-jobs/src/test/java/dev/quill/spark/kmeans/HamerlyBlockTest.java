package dev.quill.spark.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hamerly-bounded steps against plain Lloyd steps ({@link LloydStats#of}), without Spark. */
class HamerlyBlockTest {
  private static final PointBlock FIVE = new PointBlock(2, new double[] {0, 0, 1, 0, 0, 1, 10, 10, 11, 10});

  @Test
  void step_secondStepOfTwoClusters_boundsSettleEveryPoint() {
    Centres c0 = new Centres(new double[][] {{0, 0}, {10, 10}, {100, 100}});
    HamerlyBlock h = HamerlyBlock.of(FIVE).step(c0, null, c0.halfGaps());
    assertEquals(5, h.searches());
    assertEquals(3, h.stats().inertia(), 1e-9);
    Centres c1 = h.stats().update(c0);
    // the centres moved by sqrt(2)/3 and 1/2; (0,0) has upper bound 0.47 and lower bound 14.14 - 0.5: no search
    HamerlyBlock h2 = h.step(c1, c1.shifts(c0), c1.halfGaps());
    assertEquals(0, h2.searches());
    assertEquals(11.0 / 6, h2.stats().inertia(), 1e-9);
    assertEquals(3, h2.stats().count(0));
    assertEquals(2, h2.stats().count(1));
  }

  @Test
  void step_twentyIterationsOnRandomPoints_sameAsPlainLloydWithFewerSearches() {
    Random r = new Random(5);
    int n = 3000;
    int d = 3;
    double[] v = new double[n * d];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.tanh(r.nextGaussian());
    }
    PointBlock b = new PointBlock(d, v);
    double[][] init = new double[16][];
    for (int c = 0; c < init.length; c++) {
      init[c] = b.point(c * 97);
    }
    Centres plain = new Centres(init);
    Centres bounded = new Centres(init);
    Centres previous = null;
    HamerlyBlock h = HamerlyBlock.of(b);
    long lastSearches = n;
    for (int it = 0; it < 20; it++) {
      LloydStats p = LloydStats.of(b, plain);
      h = h.step(bounded, previous == null ? null : bounded.shifts(previous), bounded.halfGaps());
      assertEquals(p.inertia(), h.stats().inertia(), 1e-9 * p.inertia(), "iteration " + it);
      for (int c = 0; c < 16; c++) {
        assertEquals(p.count(c), h.stats().count(c), "iteration " + it + " centre " + c);
      }
      plain = p.update(plain);
      previous = bounded;
      bounded = h.stats().update(bounded);
      lastSearches = h.searches();
    }
    for (int c = 0; c < 16; c++) {
      assertArrayEquals(plain.toArrays()[c], bounded.toArrays()[c], 1e-12);
    }
    assertTrue(lastSearches < n / 2, lastSearches + " of " + n + " points searched all centres in iteration 20");
  }
}
