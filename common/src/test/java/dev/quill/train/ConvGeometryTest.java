package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvGeometryTest {
  @Test
  void outSize_32pxStride2Pad1_is16Then8() {
    ConvGeometry first = new ConvGeometry(3, 32, 32, 16, 3, 3, 2, 2, 1, 1);
    assertEquals(16, first.outHeight());
    assertEquals(16, first.outWidth());
    assertEquals(27, first.patchSize());
    ConvGeometry second = new ConvGeometry(16, 16, 16, 32, 3, 3, 2, 2, 1, 1);
    assertEquals(8, second.outHeight());
    assertEquals(32 * 64, second.outSize());
  }

  @Test
  void im2col_3x3ImageKernel2Stride2Pad1_handComputedColumns() {
    // One channel, x = [[1,2,3],[4,5,6],[7,8,9]]; kernel 2x2, stride 2, padding 1 -> 2x2 outputs.
    ConvGeometry g = new ConvGeometry(1, 3, 3, 1, 2, 2, 2, 2, 1, 1);
    float[] cols = new float[4 * 4];
    g.im2col(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, cols);
    // Output (0,0) reads rows -1..0, cols -1..0: [0,0,0,1]; (0,1): cols 1..2 -> [0,0,2,3];
    // (1,0): rows 1..2, cols -1..0 -> [0,4,0,7]; (1,1): [5,6,8,9].
    assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 2, 3, 0, 4, 0, 7, 5, 6, 8, 9}, cols);
  }

  @Test
  void col2im_isTheAdjointOfIm2col() {
    ConvGeometry g = new ConvGeometry(2, 7, 6, 3, 3, 3, 2, 2, 1, 1);
    SplittableRandom rng = new SplittableRandom(4);
    int n = 2;
    float[] x = new float[n * g.inSize()];
    float[] y = new float[n * g.outPixels() * g.patchSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) rng.nextDouble();
    }
    float[] cols = new float[y.length];
    g.im2col(x, n, cols);
    float[] dx = new float[x.length];
    g.col2im(y, n, dx);
    double left = 0;
    double right = 0;
    for (int i = 0; i < y.length; i++) {
      left += cols[i] * (double) y[i];
    }
    for (int i = 0; i < x.length; i++) {
      right += x[i] * (double) dx[i];
    }
    assertEquals(left, right, 1e-4);
  }

  @Test
  void constructor_kernelLargerThanPaddedImage_throws() {
    assertThrows(IllegalArgumentException.class, () -> new ConvGeometry(1, 2, 2, 1, 5, 5, 1, 1, 1, 1));
  }
}
