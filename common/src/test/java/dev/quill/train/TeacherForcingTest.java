package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.quant.uniform.UniformBinTokenizer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class TeacherForcingTest {

  @Test
  void toMultiDataSet_tokens_becomeOneHotBlocksAndStayLabels() {
    DataSet batch = new DataSet(Nd4j.create(new float[] {0.5f, -1f}, new long[] {2, 1}, 'c'),
        Nd4j.create(new float[] {2, 0, 1, 1}, new long[] {2, 2}, 'c'));
    MultiDataSet m = TeacherForcing.toMultiDataSet(batch, 3);
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0}, m.getFeatures(1).dup('c').data().asFloat(), 0f);
    assertArrayEquals(new float[] {0.5f, -1f}, m.getFeatures(0).dup('c').data().asFloat(), 0f);
    assertArrayEquals(new float[] {2, 0, 1, 1}, m.getLabels(0).dup('c').data().asFloat(), 0f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TeacherForcing.toMultiDataSet(batch, 2));
    assertTrue(e.getMessage().contains("example 0, head 0"), e.getMessage());
  }

  @Test
  void encoder_continuous_writesTheNormalizedAction() {
    FeatureStats s = new FeatureStats(new double[] {0}, new double[] {1}, new double[1], new double[1], new double[1],
        new double[1], 5);
    FeatureStats a = new FeatureStats(new double[] {1, -1}, new double[] {2, 0.5}, new double[2], new double[2], new double[2],
        new double[2], 5);
    ExampleEncoder enc = new ExampleEncoder(new DatasetStats(s, a), new UniformBinTokenizer(4, new double[] {-3, -3},
        new double[] {3, 3}), true);
    ExampleBlock b = ExampleBlock.allocate(1, 1, enc.numHeads());
    enc.encode(new double[] {0.25}, new double[] {2, -2}, b, 0);
    // (2 - 1) / 2 = 0.5, (-2 + 1) / 0.5 = -2
    assertArrayEquals(new float[] {0.5f, -2f}, b.tokens(), 1e-7f);
    assertArrayEquals(new float[] {0.25f}, b.states(), 0f);
  }
}
