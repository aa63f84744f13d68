package dev.quill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Command-line parsing and exit codes that need no Spark session. */
class QuillCliTest {

  private static String[] run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = Quill.execute(args);
      return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void invalidOverride_exitsWithUsageCodeAndNamesKey() {
    String[] r = run("train", "--set", "train.epochs=0");
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0]);
    assertTrue(r[1].contains("train.epochs must be in [1, 100000], got 0"), r[1]);
  }

  @Test
  void unknownKey_exitsWithUsageCode() {
    String[] r = run("pipeline", "--set", "train.lr=0.1");
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0]);
    assertTrue(r[1].contains("unknown key train.lr"), r[1]);
  }

  @Test
  void convertWithUnknownFormat_exitsWithUsageCodeAndNamesKey() {
    String[] r = run("convert", "--input", "x.hdf5", "--output", "out", "--format", "rlds");
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0]);
    assertTrue(r[1].contains("ingest.format must be one of [auto, lerobot, d4rl, minari, robomimic], got rlds"), r[1]);
  }

  @Test
  void ingestWithUnknownPolicy_exitsWithUsageCodeAndNamesKey() {
    String[] r = run("ingest", "--on-bad-episode", "ignore");
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0]);
    assertTrue(r[1].contains("ingest.onBadEpisode must be one of [quarantine, fail], got ignore"), r[1]);
  }

  @Test
  void unknownCommand_exitsWithUsageCode() {
    assertEquals(Integer.toString(ExitCodes.USAGE), run("fly")[0]);
  }

  @Test
  void help_listsEveryCommand() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Quill.execute("--help"));
    } finally {
      System.setOut(out);
    }
    String help = buf.toString(StandardCharsets.UTF_8);
    for (String c : new String[] {"generate", "ingest", "convert", "stats", "quantize", "train", "eval", "pipeline", "bench", "export", "bench-inference"}) {
      assertTrue(help.contains(c), c + " missing from help: " + help);
    }
  }

  @Test
  void pipelineHelp_listsRetrainingOptions() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Quill.execute("pipeline", "--help"));
    } finally {
      System.setOut(out);
    }
    String help = buf.toString(StandardCharsets.UTF_8);
    for (String o : new String[] {"--resume", "--events", "--input"}) {
      assertTrue(help.contains(o), o + " missing from help: " + help);
    }
  }

  @Test
  void exitCodes_areDistinct() {
    assertEquals(5, java.util.Set.of(ExitCodes.FAILURE, ExitCodes.USAGE, ExitCodes.BAD_INPUT, ExitCodes.TRAINING_FAILED,
        ExitCodes.GATE_REJECTED).size() + (ExitCodes.OK == 0 ? 0 : 1));
  }
}
