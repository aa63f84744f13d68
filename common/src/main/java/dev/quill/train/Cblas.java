package dev.quill.train;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Single-precision matrix products called straight on OpenBLAS's CBLAS interface, on float matrices in ND4J's
 * native memory. It is the same library, loaded once per JVM by JavaCPP, that ND4J's CPU backend multiplies with
 * (so the same kernels, {@link BlasKernels}, and the same thread count, {@link NativeThreads}), minus ND4J's Java
 * side of every op: building the op, its context and shape descriptors and validating them took about 45 us per
 * {@code Nd4j.gemm} call on the reference machine (README, Performance), a tenth of a training step over a dozen
 * products, and its large Java call tree was what the JIT compiler recompiled again and again early in a run.
 * Stateless and thread-safe.
 */
final class Cblas {
  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;

  static {
    Loader.load(openblas_nolapack.class);
  }

  private Cblas() {}

  /**
   * A float matrix in native memory as BLAS addresses it: the pointer to element (0, 0), its shape and whether
   * it is stored column by column (ND4J order {@code 'f'}, DL4J's dense weights) or row by row ({@code 'c'}).
   * It holds the ND4J array that owns the memory, which ND4J frees once that array is unreachable.
   */
  record Matrix(FloatPointer pointer, int rows, int cols, boolean columnMajor, INDArray owner) {
    /**
     * The matrix of a 2-D float array stored densely in {@code 'c'} or {@code 'f'} order (views included); the
     * pointer is checked against ND4J's own reads of the first and last element.
     *
     * @throws IllegalArgumentException for another data type, rank or layout
     */
    static Matrix of(INDArray a) {
      if (a.rank() != 2 || a.dataType() != DataType.FLOAT) {
        throw new IllegalArgumentException("expected a 2-D float matrix, got " + a.shapeInfoToString());
      }
      int rows = Math.toIntExact(a.rows());
      int cols = Math.toIntExact(a.columns());
      long[] stride = a.stride();
      boolean rowMajor = stride[1] == 1 && (stride[0] == cols || rows == 1);
      boolean colMajor = stride[0] == 1 && (stride[1] == rows || cols == 1);
      if (!rowMajor && !colMajor) {
        throw new IllegalArgumentException("expected a dense 'c' or 'f' matrix, got " + a.shapeInfoToString());
      }
      boolean columnMajor = !rowMajor;
      FloatPointer p = new FloatPointer(a.data().addressPointer());
      long last = (long) rows * cols - 1;
      if (Float.compare(p.get(0), a.getFloat(0, 0)) != 0 || Float.compare(p.get(last), a.getFloat(rows - 1, cols - 1)) != 0) {
        throw new IllegalStateException("ND4J view offset not understood: " + a.shapeInfoToString());
      }
      return new Matrix(p, rows, cols, columnMajor, a);
    }

    /** The leading dimension BLAS needs: the distance between consecutive columns or rows. */
    int ld() {
      return columnMajor ? rows : cols;
    }

    /** The transpose, on the same memory. */
    Matrix transposed() {
      return new Matrix(pointer, cols, rows, !columnMajor, owner);
    }
  }

  /**
   * {@code C = op(A) op(B) + beta C}, where {@code op(X)} is {@code X} or its transpose.
   *
   * @throws IllegalArgumentException if the shapes do not chain
   */
  static void gemm(Matrix a, boolean transA, Matrix b, boolean transB, float beta, Matrix c) {
    if (c.columnMajor) {
      // A column-major C is the row-major transpose of op(B)^T op(A)^T.
      gemm(b, !transB, a, !transA, beta, c.transposed());
      return;
    }
    checkChain(a, transA, b, transB, c);
    int m = c.rows;
    int n = c.cols;
    int k = transA ? a.rows : a.cols;
    // Row-major BLAS reads a column-major matrix as its transpose, so its flag flips.
    int ta = transA != a.columnMajor ? TRANS : NO_TRANS;
    int tb = transB != b.columnMajor ? TRANS : NO_TRANS;
    openblas_nolapack.cblas_sgemm(ROW_MAJOR, ta, tb, m, n, k, 1f, a.pointer, a.ld(), b.pointer, b.ld(), beta,
        c.pointer, c.cols);
  }

  /**
   * Checks that {@code op(A) op(B)} chains and fits {@code c}.
   *
   * @throws IllegalArgumentException naming the three shapes if not
   */
  static void checkChain(Matrix a, boolean transA, Matrix b, boolean transB, Matrix c) {
    int m = transA ? a.cols : a.rows;
    int k = transA ? a.rows : a.cols;
    int kb = transB ? b.cols : b.rows;
    int n = transB ? b.rows : b.cols;
    if (k != kb || c.rows != m || c.cols != n) {
      throw new IllegalArgumentException("cannot multiply " + shape(a, transA) + " by " + shape(b, transB) + " into a "
          + c.rows + "x" + c.cols + " matrix");
    }
  }

  private static String shape(Matrix x, boolean trans) {
    return trans ? x.cols + "x" + x.rows + " (transposed)" : x.rows + "x" + x.cols;
  }
}
