package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class LanePoolTest {

  @Test
  void everyLaneRunsOncePerCallAndTheCallerRunsLaneZero() {
    for (long spin : new long[] {0, 200_000}) {
      LanePool pool = new LanePool(3, spin);
      AtomicLongArray counts = new AtomicLongArray(3);
      Set<String> laneZeroThreads = ConcurrentHashMap.newKeySet();
      for (int call = 0; call < 2_000; call++) {
        pool.run(call % 2 == 0 ? 3 : 2, k -> {
          counts.incrementAndGet(k);
          if (k == 0) {
            laneZeroThreads.add(Thread.currentThread().getName());
          }
        });
      }
      assertArrayEquals(new long[] {2_000, 2_000, 1_000}, new long[] {counts.get(0), counts.get(1), counts.get(2)},
          "spin " + spin);
      assertEquals(Set.of(Thread.currentThread().getName()), laneZeroThreads);
      assertEquals(2, pool.liveHelpers());
    }
  }

  @Test
  void theCallerSeesTheHelpersWritesAfterRun() {
    LanePool pool = new LanePool(2, 50_000);
    long[] cells = new long[2];
    for (int call = 1; call <= 10_000; call++) {
      int value = call;
      pool.run(2, k -> cells[k] = value);
      assertEquals(call, cells[1], "the helper's plain write is visible once run returns");
    }
  }

  @Test
  void aHelpersFailureIsRethrownAfterAllLanesFinishAndThePoolStaysUsable() {
    LanePool pool = new LanePool(2, 100_000);
    IllegalStateException boom = new IllegalStateException("lane 1 failed");
    boolean[] laneZeroRan = {false};
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(2, k -> {
      if (k == 1) {
        throw boom;
      }
      laneZeroRan[0] = true;
    }));
    assertSame(boom, e);
    assertTrue(laneZeroRan[0]);
    int[] ran = new int[2];
    pool.run(2, k -> ran[k]++);
    assertArrayEquals(new int[] {1, 1}, ran);
  }

  @Test
  void laneZerosFailureWinsAndBadArgumentsAreRejected() {
    LanePool pool = new LanePool(2, 0);
    RuntimeException first = new RuntimeException("lane 0");
    assertSame(first, assertThrows(RuntimeException.class, () -> pool.run(2, k -> {
      throw k == 0 ? first : new RuntimeException("lane 1");
    })));
    assertThrows(IllegalArgumentException.class, () -> pool.run(3, k -> { }));
    assertThrows(IllegalArgumentException.class, () -> pool.run(0, k -> { }));
    assertThrows(IllegalArgumentException.class, () -> new LanePool(0));
    assertThrows(IllegalArgumentException.class, () -> new LanePool(2, -1));
  }
}
