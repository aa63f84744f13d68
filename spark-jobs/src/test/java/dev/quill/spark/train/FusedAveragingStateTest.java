package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class FusedAveragingStateTest {

  private static FusedAveraging.State roundTrip(FusedAveraging.State s) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (FusedAveraging.State) in.readObject();
    }
  }

  @Test
  void serialization_arraysLongerThanOneChunk_roundTripBitForBit() throws Exception {
    // 40,001 floats: two full 16,384-float chunks and a partial one; special values must survive as bits.
    float[] params = new float[40_001];
    for (int i = 0; i < params.length; i++) {
      params[i] = (float) Math.sin(i) * 1e-3f;
    }
    params[0] = Float.NaN;
    params[1] = Float.NEGATIVE_INFINITY;
    params[40_000] = -0f;
    float[] updater = {1.5f, -2.25f, Float.MIN_VALUE};
    FusedAveraging.State s = new FusedAveraging.State(params, updater, 7, 3.5, 2, 1.25, 0.5);

    FusedAveraging.State back = roundTrip(s);

    assertArrayEquals(params, back.params);
    assertArrayEquals(updater, back.updater);
    assertEquals(7, back.iteration);
    assertEquals(3.5, back.score);
    assertEquals(2, back.workers);
    assertEquals(1.25, back.fitSeconds);
    assertEquals(0.5, back.copySeconds);
  }

  @Test
  void serialization_emptyState_keepsNullArrays() throws Exception {
    FusedAveraging.State back = roundTrip(FusedAveraging.State.EMPTY);

    assertNull(back.params);
    assertNull(back.updater);
    assertEquals(0, back.workers);
  }

  @Test
  void plus_twoWorkers_sumsArraysCountsAndTimes() {
    FusedAveraging.State a = new FusedAveraging.State(new float[] {1, 2}, new float[] {3}, 5, 0.5, 1, 2.0, 0.25);
    FusedAveraging.State b = new FusedAveraging.State(new float[] {10, 20}, new float[] {30}, 4, 1.5, 1, 3.0, 0.5);

    FusedAveraging.State sum = FusedAveraging.State.EMPTY.plus(a).plus(b);

    assertArrayEquals(new float[] {11, 22}, sum.params);
    assertArrayEquals(new float[] {33}, sum.updater);
    assertEquals(9, sum.iteration);
    assertEquals(2.0, sum.score);
    assertEquals(2, sum.workers);
    assertEquals(5.0, sum.fitSeconds);
    assertEquals(0.75, sum.copySeconds);
    assertArrayEquals(new float[] {1, 2}, a.params, "the operands are not modified");
  }

  @Test
  void sparkSeconds_twoWorkersFourRounds_subtractsTheMeanWorkerTimePerRound() {
    // 4 rounds, 8 worker rounds: workers' steps 6.0 s and copies 0.4 s summed, i.e. 3.2 s counted once per round;
    // the jobs took 4.0 s, so 0.8 s went to Spark.
    AveragingTimes t = new AveragingTimes(4, 0.3, 4.0, 8, 6.0, 0.4, 0);

    assertEquals(0.8, t.sparkSeconds(), 1e-12);
  }
}
