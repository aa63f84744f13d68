package dev.quill.train;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link BlasKernels#verifyGemm}'s products against a double-precision reference. */
final class GemmCheck {
  /** Allowed error per entry, relative to {@code sum_k |a_ik b_kj|}. */
  static final double TOLERANCE = 4e-5;
  /** (m, n, k): the output layer's forward product at batch 256, and odd sizes that leave partial kernel blocks. */
  private static final int[][] SHAPES = {{256, 1536, 256}, {67, 131, 45}, {1, 257, 17}, {255, 33, 256}, {5, 3, 1}};

  private GemmCheck() {}

  static void run(String kernels) {
    Random random = new Random(20261202L);
    for (int s = 0; s < SHAPES.length; s++) {
      int m = SHAPES[s][0];
      int n = SHAPES[s][1];
      int k = SHAPES[s][2];
      // The large shape once (NN, C order: the training step's forward product); the small ones in every variant.
      int variants = s == 0 ? 1 : 8;
      for (int v = 0; v < variants; v++) {
        boolean transA = (v & 1) != 0;
        boolean transB = (v & 2) != 0;
        char order = (v & 4) != 0 ? 'f' : 'c';
        float[][] a = randomMatrix(random, m, k);
        float[][] b = randomMatrix(random, k, n);
        INDArray na = toNd(transA ? transpose(a) : a, order);
        INDArray nb = toNd(transB ? transpose(b) : b, order);
        INDArray nc = Nd4j.create(DataType.FLOAT, new long[] {m, n}, order);
        Nd4j.gemm(na, nb, nc, transA, transB, 1.0, 0.0);
        check(kernels, a, b, nc, m, n, k, transA, transB, order);
      }
    }
  }

  static void check(String kernels, float[][] a, float[][] b, INDArray c, int m, int n, int k, boolean transA,
      boolean transB, char order) {
    float[][] actual = c.toFloatMatrix();
    float[][] bt = transpose(b);
    double worst = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double exact = 0;
        double magnitude = 0;
        for (int p = 0; p < k; p++) {
          double term = (double) a[i][p] * bt[j][p];
          exact += term;
          magnitude += Math.abs(term);
        }
        double error = Math.abs(actual[i][j] - exact) / Math.max(magnitude, 1e-30);
        worst = Math.max(worst, error);
      }
    }
    if (!(worst <= TOLERANCE)) {
      throw new IllegalStateException(String.format(java.util.Locale.ROOT,
          "ND4J's GEMM computes wrong products with OpenBLAS kernels '%s' on this CPU: C[%dx%d] = %sA %sB (k %d, order %c) "
              + "is off by %.3g of sum|a*b| (allowed %.0e); set %s to a kernel set that works here (or unset it), "
              + "and with bin/quill QUILL_BLAS_KERNELS=library", kernels, m, n, transA ? "T" : "", transB ? "T" : "", k, order,
          worst, TOLERANCE, BlasKernels.ENV));
    }
  }

  private static float[][] randomMatrix(Random random, int rows, int cols) {
    float[][] x = new float[rows][cols];
    for (float[] row : x) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextFloat() * 2 - 1;
      }
    }
    return x;
  }

  private static float[][] transpose(float[][] x) {
    float[][] t = new float[x[0].length][x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        t[j][i] = x[i][j];
      }
    }
    return t;
  }

  private static INDArray toNd(float[][] x, char order) {
    return Nd4j.create(x).dup(order);
  }
}
