package dev.quill.spark.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's native threads, summed by thread name, read from Linux's {@code /proc/self/task/<tid>/stat}.
 * Unlike {@link java.lang.management.ThreadMXBean} it sees the JIT's compiler threads and the garbage collector's,
 * which is what the bench needs to say whether a Spark row spends its extra CPU on Spark's threads, the JIT or GC
 * (README, Performance). Digits in names are replaced by {@code #}, so {@code "GC Thread#0"} and {@code "GC Thread#1"}
 * are one entry; Linux cuts names to 15 characters. Threads that ended between two snapshots lose their time.
 */
final class ThreadCpu {
  /** Clock ticks per second of {@code utime}/{@code stime}: USER_HZ, 100 on every Linux ABI Quill runs on. */
  static final double TICKS_PER_SECOND = 100;

  private static final Path TASKS = Path.of("/proc/self/task");

  private ThreadCpu() {}

  /** Ticks of user plus system CPU per thread name now; empty where {@code /proc/self/task} does not exist. */
  static Map<String, Long> snapshot() {
    return snapshot(TASKS);
  }

  static Map<String, Long> snapshot(Path tasks) {
    if (!Files.isDirectory(tasks)) {
      return Collections.emptyMap();
    }
    Map<String, Long> ticks = new TreeMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
      for (Path dir : dirs) {
        String stat;
        try {
          stat = Files.readString(dir.resolve("stat"));
        } catch (NoSuchFileException e) {
          continue; // the thread ended after the listing
        }
        Map.Entry<String, Long> e = parse(stat);
        ticks.merge(e.getKey(), e.getValue(), Long::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tasks, e);
    }
    return ticks;
  }

  /**
   * The thread name (digits as {@code #}) and {@code utime + stime} of one {@code stat} line: {@code pid (comm) state
   * ...}, where {@code comm} may hold spaces and parentheses, so the fields are counted after its last {@code ')'}.
   *
   * @throws IllegalArgumentException if the line does not have that form
   */
  static Map.Entry<String, Long> parse(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc stat line: " + stat);
    }
    String[] fields = stat.substring(close + 1).trim().split(" +");
    // After comm: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15).
    if (fields.length < 13) {
      throw new IllegalArgumentException("not a /proc stat line: " + stat);
    }
    String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "#");
    return Map.entry(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
  }

  /**
   * Seconds of CPU per thread name between two snapshots, largest first, names with no time left out; names above
   * {@code top} entries are summed into {@code "other"}.
   */
  static Map<String, Double> secondsBetween(Map<String, Long> before, Map<String, Long> after, int top) {
    Map<String, Double> out = new LinkedHashMap<>();
    double[] other = {0};
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEachOrdered(e -> {
          if (out.size() < top) {
            out.put(e.getKey(), e.getValue() / TICKS_PER_SECOND);
          } else {
            other[0] += e.getValue() / TICKS_PER_SECOND;
          }
        });
    if (other[0] > 0) {
      out.put("other", other[0]);
    }
    return out;
  }

  /** Sums the threads' CPU over several brackets ({@link #start} .. {@link #stop}), e.g. the epochs without scoring. */
  static final class Brackets {
    private final Map<String, Long> sum = new TreeMap<>();
    private Map<String, Long> mark;

    /** Opens a bracket. */
    void start() {
      mark = snapshot();
    }

    /** Closes the open bracket and adds its ticks per thread name. */
    void stop() {
      if (mark == null) {
        throw new IllegalStateException("stop() without start()");
      }
      Map<String, Long> before = mark;
      mark = null;
      snapshot().forEach((name, t) -> sum.merge(name, t - before.getOrDefault(name, 0L), Long::sum));
    }

    /** Seconds per thread name over all closed brackets, as {@link #secondsBetween} orders and cuts them. */
    Map<String, Double> seconds(int top) {
      return secondsBetween(Map.of(), sum, top);
    }
  }

  /** One line: {@code name seconds} pairs in the order given. */
  static String render(Map<String, Double> seconds) {
    StringBuilder sb = new StringBuilder();
    seconds.forEach((name, s) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ')
        .append(String.format("%.2f s", s)));
    return sb.toString();
  }
}
