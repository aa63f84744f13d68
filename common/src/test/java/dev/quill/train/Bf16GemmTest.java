package dev.quill.train;

import static dev.quill.train.SmallMatrices.matrix;
import static dev.quill.train.SmallMatrices.product;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Bf16GemmTest {
  @BeforeAll
  static void needsBf16() {
    assumeTrue(MatmulPrecision.bf16Native(), "no native bf16 here: " + Bf16Gemm.availability().isa());
  }

  private static Bf16Gemm.Operand operand(INDArray a) {
    Bf16Gemm.Operand op = new Bf16Gemm.Operand(Cblas.Matrix.of(a));
    op.refresh();
    return op;
  }

  @Test
  void product_bf16ExactEntries_everyStorageOrderAndTranspose_isTheExactProduct() {
    // Entries exact in bf16 and sums exact in float: the bf16 product must equal the exact product to the bit.
    int m = 5;
    int k = 7;
    int n = 3;
    int cases = 0;
    for (char oa : new char[] {'c', 'f'}) {
      for (char ob : new char[] {'c', 'f'}) {
        for (char oc : new char[] {'c', 'f'}) {
          for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
              INDArray a = ta ? matrix(k, m, oa, 1) : matrix(m, k, oa, 1);
              INDArray b = tb ? matrix(n, k, ob, 2) : matrix(k, n, ob, 2);
              INDArray c = matrix(m, n, oc, 3);
              Bf16Gemm.Product.of(operand(a), ta, operand(b), tb, Cblas.Matrix.of(c)).run();
              double[][] expected = product(a, ta, b, tb);
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                  assertEquals(expected[i][j], c.getDouble(i, j), 0.0, "A " + oa + (ta ? "^T" : "") + ", B " + ob
                      + (tb ? "^T" : "") + ", C " + oc + " at (" + i + ", " + j + ")");
                }
              }
              cases++;
            }
          }
        }
      }
    }
    assertEquals(32, cases);
  }

  @Test
  void refresh_roundsToNearestBf16TiesToEven() {
    // bf16 keeps 7 fraction bits: between 1 and 2 its spacing is 2^-7.
    float half = (float) Math.pow(2, -8);
    float[] values = {1 + half, 1 + 3 * half, 1 + half + (float) Math.pow(2, -20), -(1 + half), 3.0e-3f};
    // 3e-3 is 0x3B449BA6: the dropped half 0x9BA6 is above 0x8000, so the kept bits 0x3B44 round up.
    float[] expected = {1f, 1 + 4 * half, 1 + 2 * half, -1f, Float.intBitsToFloat(0x3B450000)};
    INDArray a = Nd4j.create(values, new long[] {1, values.length}, 'c');
    INDArray identity = Nd4j.eye(values.length).castTo(DataType.FLOAT).dup('c');
    INDArray c = Nd4j.create(DataType.FLOAT, new long[] {1, values.length}, 'c');
    Bf16Gemm.Product.of(operand(a), false, operand(identity), false, Cblas.Matrix.of(c)).run();
    for (int j = 0; j < values.length; j++) {
      assertEquals(expected[j], c.getFloat(0, j), 0f, "bf16 of " + values[j]);
    }
  }

  @Test
  void product_readsTheCopyAsOfTheLastRefresh() {
    INDArray a = matrix(2, 3, 'c', 1);
    INDArray b = matrix(3, 2, 'c', 2);
    INDArray c = Nd4j.create(DataType.FLOAT, new long[] {2, 2}, 'c');
    Bf16Gemm.Operand opA = operand(a);
    Bf16Gemm.Product p = Bf16Gemm.Product.of(opA, false, operand(b), false, Cblas.Matrix.of(c));
    p.run();
    double before = c.getDouble(0, 0);
    a.muli(2);
    p.run();
    assertEquals(before, c.getDouble(0, 0), 0.0, "no refresh: the old copy");
    opA.refresh();
    p.run();
    assertEquals(2 * before, c.getDouble(0, 0), 0.0, "after refresh: the doubled entries");
  }

  @Test
  void product_shapesDoNotChain_namesTheShapes() {
    INDArray a = matrix(2, 3, 'c', 1);
    INDArray b = matrix(4, 2, 'c', 2);
    INDArray c = Nd4j.create(DataType.FLOAT, new long[] {2, 2}, 'c');
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Bf16Gemm.Product.of(operand(a), false, operand(b), false, Cblas.Matrix.of(c)));
    assertEquals("cannot multiply 2x3 by 4x2 into a 2x2 matrix", e.getMessage());
  }

  @Test
  void implementations_areOneDnnsBf16Kernels() {
    INDArray a = matrix(64, 64, 'c', 1);
    INDArray c = Nd4j.create(DataType.FLOAT, new long[] {64, 64}, 'c');
    Bf16Gemm.Product.of(operand(a), false, operand(a), true, Cblas.Matrix.of(c));
    String impls = Bf16Gemm.implementations();
    assertTrue(impls.contains("bf16") && !impls.contains("ref"), "oneDNN implementations: " + impls);
  }
}
