package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BlasKernelsTest {
  @TempDir Path dir;

  @Test
  void choosesSkylakeXOnlyWithEveryAvx512FlagItNeeds() {
    Set<String> zen5 = Set.of("fma", "avx2", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_bf16");
    assertEquals(Optional.of("SkylakeX"), BlasKernels.choose(zen5));
    assertEquals(Optional.empty(), BlasKernels.choose(Set.of("fma", "avx2")), "an AVX2-only CPU keeps the library's choice");
    // Xeon Phi (Knights Landing) has AVX-512 F and CD but neither BW, DQ nor VL: the SkylakeX kernels would fault there.
    assertEquals(Optional.empty(), BlasKernels.choose(Set.of("avx2", "avx512f", "avx512cd", "avx512er", "avx512pf")));
    assertEquals(Optional.empty(), BlasKernels.choose(Set.of()));
  }

  @Test
  void readsTheFlagsOfTheFirstCpu() throws IOException {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512f avx512bw\n"
        + "bogomips\t: 4192.02\n\nprocessor\t: 1\nflags\t\t: fpu sse2\n");
    assertEquals(Set.of("fpu", "avx2", "avx512f", "avx512bw"), BlasKernels.cpuFlags(cpuinfo));
    assertEquals(Set.of(), BlasKernels.cpuFlags(dir.resolve("missing")), "no /proc/cpuinfo: keep the library's choice");
    Files.writeString(cpuinfo, "processor\t: 0\nFeatures\t: fp asimd\n");
    assertEquals(Set.of(), BlasKernels.cpuFlags(cpuinfo), "an ARM cpuinfo has no flags line");
  }

  @Test
  void gemmOfTheKernelsInEffectIsCorrect() {
    assertDoesNotThrow(BlasKernels::verifyGemm);
    assertDoesNotThrow(BlasKernels::verifyGemm, "the second call returns at once");
  }

  @Test
  void aWrongProductIsReportedWithTheKernelsAndTheShape() {
    float[][] a = {{1, 2}, {3, 4}};
    float[][] b = {{5, 6}, {7, 8}};
    INDArray right = Nd4j.create(new float[][] {{19, 22}, {43, 50}});
    assertDoesNotThrow(() -> GemmCheck.check("Test", a, b, right, 2, 2, 2, false, false, 'c'));
    INDArray wrong = Nd4j.create(new float[][] {{19, 22}, {43, 51}}).castTo(DataType.FLOAT);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GemmCheck.check("Test", a, b, wrong, 2, 2, 2, false, false, 'c'));
    assertTrue(e.getMessage().contains("kernels 'Test'") && e.getMessage().contains("C[2x2]")
        && e.getMessage().contains("OPENBLAS_CORETYPE"), e.getMessage());
    // 51 vs 50 is 1/(3*6 + 4*8) = 0.02 of sum|a*b|.
    assertTrue(e.getMessage().contains("off by 0.02"), e.getMessage());
  }
}
