package dev.quill.spark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadCpuTest {
  // A stat line as Linux writes it for a compiler thread: utime 250, stime 12 (fields 14 and 15).
  private static final String C2 = "4242 (C2 CompilerThre) S 4200 4200 17 0 -1 1077936192 9000 0 3 0 250 12 0 0 20 0 "
      + "31 0 123456 1000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 -1 1 0 0 0 0 0";

  @Test
  void parsesNameWithSpacesAndDigitsAndAddsUserAndSystemTicks() {
    Map.Entry<String, Long> e = ThreadCpu.parse(C2);
    assertEquals("C# CompilerThre", e.getKey());
    assertEquals(262L, e.getValue());
  }

  @Test
  void parsesNameWithParentheses() {
    Map.Entry<String, Long> e = ThreadCpu.parse("7 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 1 1 1");
    assertEquals("a (b) c", e.getKey());
    assertEquals(11L, e.getValue());
  }

  @Test
  void refusesLinesThatAreNotStatLines() {
    assertThrows(IllegalArgumentException.class, () -> ThreadCpu.parse("no parentheses 1 2 3"));
    assertThrows(IllegalArgumentException.class, () -> ThreadCpu.parse("1 (x) S 1 2"));
  }

  @Test
  void sumsThreadsOfOneNameFromATaskFolder(@TempDir Path dir) throws Exception {
    write(dir, "10", "10 (GC Thread#0) S 1 1 1 0 -1 0 0 0 0 0 30 10 0 0 20 0 1 0 1 1 1");
    write(dir, "11", "11 (GC Thread#1) S 1 1 1 0 -1 0 0 0 0 0 20 0 0 0 20 0 1 0 1 1 1");
    write(dir, "12", C2.replace("4242", "12"));
    Map<String, Long> ticks = ThreadCpu.snapshot(dir);
    assertEquals(Map.of("GC Thread##", 60L, "C# CompilerThre", 262L), ticks);
    assertTrue(ThreadCpu.snapshot(dir.resolve("absent")).isEmpty());
  }

  @Test
  void secondsBetweenSnapshotsLargestFirstWithTheRestAsOther() {
    Map<String, Long> before = Map.of("a", 100L, "b", 10L, "gone", 5L);
    Map<String, Long> after = Map.of("a", 150L, "b", 210L, "c", 30L, "d", 10L, "e", 0L);
    Map<String, Double> s = ThreadCpu.secondsBetween(before, after, 2);
    assertEquals(List.of("b", "a", "other"), List.copyOf(s.keySet()));
    assertEquals(2.0, s.get("b"), 1e-12);
    assertEquals(0.5, s.get("a"), 1e-12);
    assertEquals(0.4, s.get("other"), 1e-12); // c 0.3 + d 0.1; e had no time
    assertEquals("b 2.00 s, a 0.50 s, other 0.40 s", ThreadCpu.render(s));
  }

  @Test
  void bracketsSeeABusyThreadOfThisJvm() throws Exception {
    if (!Files.isDirectory(Path.of("/proc/self/task"))) {
      return; // not Linux: the bench records nothing there, which snapshot() returning empty covers
    }
    ThreadCpu.Brackets brackets = new ThreadCpu.Brackets();
    brackets.start();
    java.util.concurrent.CountDownLatch spun = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch measured = new java.util.concurrent.CountDownLatch(1);
    Thread busy = new Thread(() -> {
      long end = System.nanoTime() + 400_000_000L;
      double x = 0;
      while (System.nanoTime() < end) {
        x += Math.sqrt(x + 1);
      }
      spun.countDown();
      try {
        measured.await(); // alive until the bracket closes: an ended thread's time is gone from /proc
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "quill-busy-7");
    busy.start();
    spun.await();
    brackets.stop();
    measured.countDown();
    busy.join();
    Double seconds = brackets.seconds(50).get("quill-busy-#");
    assertTrue(seconds != null && seconds >= 0.1, "the spinning thread's CPU seconds: " + seconds);
    assertThrows(IllegalStateException.class, brackets::stop);
  }

  private static void write(Path dir, String tid, String stat) throws Exception {
    Files.createDirectories(dir.resolve(tid));
    Files.writeString(dir.resolve(tid).resolve("stat"), stat + "\n");
  }
}
