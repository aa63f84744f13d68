package dev.quill.train;

import static dev.quill.train.SmallMatrices.matrix;
import static dev.quill.train.SmallMatrices.product;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class CblasTest {
  @Test
  void gemm_everyStorageOrderAndTranspose_matchesTheDoublePrecisionProduct() {
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
              INDArray before = c.dup();
              Cblas.gemm(Cblas.Matrix.of(a), ta, Cblas.Matrix.of(b), tb, 0.5f, Cblas.Matrix.of(c));
              double[][] expected = product(a, ta, b, tb);
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                  double want = expected[i][j] + 0.5 * before.getDouble(i, j);
                  assertEquals(want, c.getDouble(i, j), 1e-4, "A " + oa + (ta ? "^T" : "") + ", B " + ob + (tb ? "^T" : "")
                      + ", C " + oc + " at (" + i + ", " + j + ")");
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
  void gemm_intoAViewOfAFlatArray_writesOnlyTheView() {
    // Like a layer's weight gradient: an 'f' matrix view at an offset inside the flat gradient.
    INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, 40);
    INDArray view = flat.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(10, 25)).reshape('f', 5, 3);
    INDArray a = matrix(4, 5, 'c', 4);
    INDArray d = matrix(4, 3, 'c', 5);
    Cblas.gemm(Cblas.Matrix.of(a), true, Cblas.Matrix.of(d), false, 0f, Cblas.Matrix.of(view));
    double[][] expected = product(a, true, d, false);
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(expected[i][j], view.getDouble(i, j), 1e-4);
        // Column-major: element (i, j) of the view is flat element 10 + i + 5 j.
        assertEquals(expected[i][j], flat.getDouble(0, 10 + i + 5 * j), 1e-4);
      }
    }
    for (int e : new int[] {0, 9, 25, 39}) {
      assertEquals(0.0, flat.getDouble(0, e), "element " + e + " outside the view");
    }
  }

  @Test
  void gemm_shapesThatDoNotChain_throwNamingTheShapes() {
    Cblas.Matrix a = Cblas.Matrix.of(matrix(2, 3, 'c', 1));
    Cblas.Matrix b = Cblas.Matrix.of(matrix(4, 5, 'c', 1));
    Cblas.Matrix c = Cblas.Matrix.of(matrix(2, 5, 'c', 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cblas.gemm(a, false, b, false, 0f, c));
    assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("4x5"), e.getMessage());
  }

  @Test
  void matrixOf_nonDenseView_isRejected_andTheMatrixKeepsItsArray() {
    INDArray full = matrix(4, 6, 'c', 1);
    INDArray columns = full.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
    assertThrows(IllegalArgumentException.class, () -> Cblas.Matrix.of(columns));
    assertThrows(IllegalArgumentException.class, () -> Cblas.Matrix.of(Nd4j.zeros(DataType.DOUBLE, 2, 2)));
    // The matrix references the array that owns its memory, so ND4J cannot free it while the matrix is in use.
    assertSame(full, Cblas.Matrix.of(full).owner());
    assertSame(full, Cblas.Matrix.of(full).transposed().owner());
  }
}
