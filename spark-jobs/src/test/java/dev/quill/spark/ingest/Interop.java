package dev.quill.spark.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the fixture generators of {@code src/test/interop}: {@code make_hdf5.py} with Debian's h5py
 * (python3-h5py) and {@code make_lerobot.mjs} with Node and hyparquet-writer (an independent Parquet
 * writer). A missing tool fails the test with what to install; it never skips.
 */
public final class Interop {
  private static final Path DIR = Path.of("src/test/interop").toAbsolutePath();

  private Interop() {}

  /** Writes HDF5 fixture {@code name} into {@code out}. */
  public static Path hdf5(Path out, String name) {
    run(List.of(python(), DIR.resolve("make_hdf5.py").toString(), out.toString(), name),
        "python3 with h5py and numpy (Debian: apt-get install -y python3-h5py python3-numpy)");
    return out;
  }

  /** Writes LeRobot fixture {@code name} into {@code out}. */
  public static Path lerobot(Path out, String name) {
    if (!Files.isDirectory(DIR.resolve("node_modules/hyparquet-writer"))) {
      throw new AssertionError("hyparquet-writer is not installed: run `npm ci` in " + DIR + " (Node 18+)");
    }
    run(List.of("node", DIR.resolve("make_lerobot.mjs").toString(), out.toString(), name), "Node.js 18+ (apt-get install -y nodejs npm)");
    return out;
  }

  /** Debian's python3 (which has python3-h5py) unless {@code QUILL_PYTHON} names another interpreter. */
  static String python() {
    String env = System.getenv("QUILL_PYTHON");
    if (env != null && !env.isBlank()) {
      return env;
    }
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  private static void run(List<String> command, String needs) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new AssertionError("fixture generator failed (needs " + needs + "): " + command + "\n" + output);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + " (needs " + needs + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
