package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class ExampleBlockTest {

  private static ExampleBlock block(int n) {
    ExampleBlock b = ExampleBlock.allocate(n, 2, 1);
    for (int i = 0; i < n; i++) {
      b.states()[2 * i] = i;
      b.states()[2 * i + 1] = -i;
      b.tokens()[i] = i % 7;
    }
    return b;
  }

  @Test
  void minibatches_unshuffled_keepOrderAndSizes() {
    List<DataSet> batches = block(10).toMinibatches(4, null);
    assertEquals(3, batches.size());
    assertEquals(2, batches.get(2).numExamples());
    assertArrayEquals(new float[] {8, -8, 9, -9}, batches.get(2).getFeatures().dup().data().asFloat());
  }

  @Test
  void minibatches_shuffled_keepPairsAndArePermutation() {
    List<DataSet> batches = block(50).toMinibatches(16, 3L);
    List<Float> seen = new ArrayList<>();
    for (DataSet ds : batches) {
      float[] x = ds.getFeatures().dup().data().asFloat();
      float[] y = ds.getLabels().dup().data().asFloat();
      for (int k = 0; k < ds.numExamples(); k++) {
        assertEquals(-x[2 * k], x[2 * k + 1], 0f);
        assertEquals(((int) x[2 * k]) % 7, (int) y[k]);
        seen.add(x[2 * k]);
      }
    }
    assertEquals(50, seen.stream().distinct().count());
    List<Float> identity = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      identity.add((float) i);
    }
    assertNotEquals(identity, seen, "shuffled order must differ from the original order");
  }

  @Test
  void minibatches_sameSeed_sameOrder() {
    float[] a = block(30).toMinibatches(30, 9L).get(0).getFeatures().dup().data().asFloat();
    float[] b = block(30).toMinibatches(30, 9L).get(0).getFeatures().dup().data().asFloat();
    assertArrayEquals(a, b);
  }
}
