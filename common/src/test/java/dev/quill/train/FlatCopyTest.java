package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FlatCopyTest {

  @Test
  void toArray_viewWithOffset_returnsOnlyTheViewsElements() {
    INDArray whole = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6, 7}).reshape(1, 7);
    INDArray view = whole.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 6));

    assertArrayEquals(new float[] {3, 4, 5, 6}, FlatCopy.toArray(view));
  }

  @Test
  void copyInto_viewWithOffset_overwritesOnlyTheViewsElements() {
    INDArray whole = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6, 7}).reshape(1, 7);
    INDArray view = whole.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 6));

    FlatCopy.copyInto(new float[] {-3, -4, -5, -6}, view);

    assertArrayEquals(new float[] {1, 2, -3, -4, -5, -6, 7}, whole.data().asFloat());
  }

  @Test
  void copyTo_reusedBuffer_holdsTheLatestElements() {
    INDArray a = Nd4j.createFromArray(new float[] {1, 2, 3});
    float[] buffer = new float[3];
    FlatCopy.copyTo(a, buffer);
    a.muli(2);

    float[] back = FlatCopy.copyTo(a, buffer);

    assertArrayEquals(new float[] {2, 4, 6}, back);
    org.junit.jupiter.api.Assertions.assertSame(buffer, back);
  }

  @Test
  void copyInto_lengthDiffers_throws() {
    INDArray a = Nd4j.zeros(DataType.FLOAT, 1, 3);

    assertThrows(IllegalArgumentException.class, () -> FlatCopy.copyInto(new float[] {1, 2}, a));
  }

  @Test
  void toArray_columnOfMatrix_throws() {
    INDArray m = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}});

    assertThrows(IllegalArgumentException.class, () -> FlatCopy.toArray(m.getColumn(1)));
  }
}
