package dev.quill.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small float matrices with hand-checkable entries, and their exact products, for the matrix-product tests. */
final class SmallMatrices {
  private SmallMatrices() {}

  /**
   * A {@code rows x cols} matrix in {@code order} with entries {@code ((7r + 3c + seed) mod 11) - 5 + c/4}: integers and
   * quarters of at most 5 significant bits, so exact in float and in bf16.
   */
  static INDArray matrix(int rows, int cols, char order, int seed) {
    INDArray a = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, order);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        a.putScalar(r, c, ((r * 7 + c * 3 + seed) % 11) - 5 + 0.25f * c);
      }
    }
    return a;
  }

  /** {@code op(a) op(b)} in double precision, {@code op} the transpose where asked. */
  static double[][] product(INDArray a, boolean ta, INDArray b, boolean tb) {
    INDArray x = ta ? a.transpose() : a;
    INDArray y = tb ? b.transpose() : b;
    double[][] out = new double[(int) x.rows()][(int) y.columns()];
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < y.columns(); j++) {
        for (int k = 0; k < x.columns(); k++) {
          out[i][j] += x.getDouble(i, k) * y.getDouble(k, j);
        }
      }
    }
    return out;
  }
}
