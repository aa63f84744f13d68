package dev.quill.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code dev.quill.cli.Quill} in a child JVM (the test's class path, {@code conf/jvm-options},
 * {@code OMP_NUM_THREADS=1}), with stdout and stderr to a log file, so tests can kill it like a crash.
 */
public final class ChildQuill {
  private ChildQuill() {}

  /** The repository root (tests run in the {@code spark-jobs} module folder). */
  public static Path repoRoot() {
    return Path.of("").toAbsolutePath().getParent();
  }

  /** Starts {@code quill args...}; its output goes to {@code log}. */
  public static Process start(Path log, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    try {
      for (String line : Files.readAllLines(repoRoot().resolve("conf/jvm-options"))) {
        if (!line.isBlank() && !line.startsWith("#")) {
          cmd.add(line.trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cmd.add("-Xmx1g");
    cmd.add("-Dlog4j2.configurationFile=" + repoRoot().resolve("conf/log4j2.properties"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.quill.cli.Quill");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start child JVM: " + e.getMessage(), e);
    }
  }
}
