package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatmulPrecisionTest {
  @Test
  void resolve_fp32AndAuto_followTheCpu() {
    assertEquals(MatmulPrecision.FP32, MatmulPrecision.resolve("fp32"));
    assertEquals(MatmulPrecision.bf16Native() ? MatmulPrecision.BF16 : MatmulPrecision.FP32,
        MatmulPrecision.resolve("auto"));
  }

  @Test
  void resolve_bf16_worksWithNativeBf16OrNamesTheCpusIsa() {
    if (MatmulPrecision.bf16Native()) {
      assertEquals(MatmulPrecision.BF16, MatmulPrecision.resolve("bf16"));
      assertTrue(MatmulPrecision.BF16.describe().startsWith("bf16 products, fp32 accumulation (oneDNN avx512_core"),
          MatmulPrecision.BF16.describe());
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> MatmulPrecision.resolve("bf16"));
      assertTrue(e.getMessage().startsWith("train.precision bf16 needs a CPU with AVX-512 BF16 or AMX instructions;"
          + " oneDNN reports " + Bf16Gemm.availability().isa()), e.getMessage());
    }
  }

  @Test
  void resolve_otherValue_namesTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatmulPrecision.resolve("fp16"));
    assertEquals("train.precision must be one of [fp32, bf16, auto], got fp16", e.getMessage());
  }
}
