package dev.quill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
  @Test
  void modesSplitOnCommasOutsideAMastersBrackets() {
    BenchCommand bench = new BenchCommand();
    new CommandLine(bench).parseArgs("--modes", "lanes,local[2]-lanes,local-cluster[1,2,3072]-lanes,local[2]:export");
    assertEquals(List.of("lanes", "local[2]-lanes", "local-cluster[1,2,3072]-lanes", "local[2]:export"), bench.modes);
    BenchCommand defaults = new BenchCommand();
    new CommandLine(defaults).parseArgs();
    List<String> expected = new java.util.ArrayList<>(List.of("dl4j", "fused-1t", "fused-1t-vec", "fused-1t-cpu", "single",
        "lanes-adam-copies", "lanes", "local[1]", "local[2]", "local[2]-lanes"));
    if (dev.quill.train.MatmulPrecision.bf16Native()) {
      // CPUs with AVX-512 BF16 or AMX also get the bf16 rows.
      expected.addAll(List.of("lanes-bf16", "local[2]-bf16"));
    }
    assertEquals(expected, defaults.modes);
  }
}
