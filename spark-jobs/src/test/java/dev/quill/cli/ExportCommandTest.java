package dev.quill.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.export.ArtifactGoldenTest;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.runtime.PolicyModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quill export} through the command line: files written, exit codes and messages. */
class ExportCommandTest {
  private static String[] run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return new String[] {Integer.toString(Quill.execute(args)), buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void export_int4WithOnnx_writesArtifactThatActsLikeGoldenAndOnnxFile(@TempDir Path dir) throws Exception {
    Policy p = ArtifactGoldenTest.tinyPolicy();
    PolicyFiles.save(p, dir.resolve("policy"));
    String[] r = run("export", "--policy", dir.resolve("policy").toString(), "--weights", "int4",
        "--onnx", dir.resolve("p.onnx").toString());
    assertEquals("0", r[0], r[1]);
    Path file = dir.resolve("policy-int4.qpol");
    assertArrayEquals(Files.readAllBytes(Path.of("../common/src/test/resources/golden/policy-artifact-v1.qpol")),
        Files.readAllBytes(file), "the CLI writes what the exporter's golden test freezes");
    assertTrue(Files.size(dir.resolve("p.onnx")) > 100);
    assertEquals(2, PolicyModel.load(file).actionDim());
  }

  @Test
  void export_missingPolicyDirectory_exitsBadInputNamingFile(@TempDir Path dir) {
    String[] r = run("export", "--policy", dir.resolve("nope").toString());
    assertEquals(Integer.toString(ExitCodes.BAD_INPUT), r[0]);
    assertTrue(r[1].contains("has no policy.json (is it a Quill policy directory?)"), r[1]);
  }

  @Test
  void export_unknownWeights_exitsUsageNamingOption(@TempDir Path dir) {
    String[] r = run("export", "--policy", dir.toString(), "--weights", "int3");
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0]);
    assertTrue(r[1].contains("--weights must be one of [auto, fp32, int8, int4], got int3"), r[1]);
  }
}
