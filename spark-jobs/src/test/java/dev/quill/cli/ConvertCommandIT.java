package dev.quill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.quill.data.DatasetStats;
import dev.quill.spark.ingest.Interop;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quill convert} end to end through the command line, on fixtures written by h5py. */
class ConvertCommandIT {
  @TempDir
  Path dir;

  @Test
  void convertD4rl_writesDatasetQuarantineAndLeRobotStats() {
    Path in = Interop.hdf5(dir.resolve("in"), "d4rl");
    Path out = dir.resolve("out");
    int code = Quill.execute("convert", "--input", in.resolve("hopper-medium-v2.hdf5").toString(), "--output", out.toString(),
        "--format", "d4rl", "--on-bad-episode", "fail", "--set", "ingest.heldoutFraction=0", "--master", "local[1]");
    assertEquals(ExitCodes.OK, code);
    assertEquals(true, Files.isRegularFile(out.resolve("dataset/meta.json")));
    assertEquals(true, Files.isRegularFile(out.resolve("quarantine/report.json")));
    DatasetStats stats = DatasetStats.read(out.resolve("stats.json"));
    // action[0] over the 9 steps: -(0, .01, .02, .03, .10, .11, .12, .20, .21) -> mean -0.8/9, min -0.21, max 0
    assertEquals(-0.8 / 9, stats.action().mean()[0], 1e-6);
    assertEquals(-0.21, stats.action().min()[0], 1e-6);
    assertEquals(0.0, stats.action().max()[0], 1e-6);
    assertEquals(9, stats.action().count());
    // observation.state[2] = 100e + 10t + 2: (2+12+22+32) + (102+112+122) + (202+212) = 818 over 9 steps
    assertEquals(818.0 / 9, stats.state().mean()[2], 1e-4);
  }

  @Test
  void convertWithFail_onBadFile_exitsWithBadInputAndWritesNothing() {
    Path in = Interop.hdf5(dir.resolve("in"), "d4rl_missing");
    Path out = dir.resolve("out");
    int code = Quill.execute("convert", "--input", in.toString(), "--output", out.toString(), "--on-bad-episode", "fail",
        "--master", "local[1]");
    assertEquals(ExitCodes.BAD_INPUT, code);
    assertFalse(Files.exists(out.resolve("dataset")));
    assertFalse(Files.exists(out.resolve("stats.json")));
  }
}
