package dev.quill.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class DynamicsModelTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/dynamics-v1");

  /** State dim 2 (mean [1, 0], std [2, 0.5]), tokens 3 + 2, output weights zero: mu = [0.5, -1], log-variance 0. */
  static DynamicsModel handSet() {
    DynamicsConfig dc = new DynamicsConfig(List.of(4), 1, 1e-3);
    MultiLayerNetwork net = new MultiLayerNetwork(DynamicsModel.conf(2, List.of(3, 2), dc.hidden(), new Adam(1e-3), 3,
        DataType.FLOAT));
    net.init();
    net.getLayer(1).setParam("W", Nd4j.zeros(DataType.FLOAT, 4, 4));
    net.getLayer(1).setParam("b", Nd4j.create(new float[] {0.5f, -1f, 0f, 0f}, new long[] {1, 4}, 'c'));
    FeatureStats s = new FeatureStats(new double[] {1, 0}, new double[] {2, 0.5}, new double[2], new double[2], new double[2],
        new double[2], 10);
    FeatureStats a = new FeatureStats(new double[1], new double[] {1}, new double[1], new double[1], new double[1], new double[1], 10);
    return new DynamicsModel(net, new DatasetStats(s, a),
        new DynamicsInfo(DynamicsInfo.FORMAT, 1, 2, List.of(3, 2), dc, 3, 1, 0.25));
  }

  @Test
  void predictMean_handSetOutput_isStatePlusStdTimesMu() {
    // x' = x + std * mu = [3 + 2 * 0.5, -1 + 0.5 * -1]
    assertArrayEquals(new double[] {4, -1.5}, handSet().predictMean(new double[][] {{3, -1}}, new int[][] {{2, 1}})[0], 1e-6);
  }

  @Test
  void encodeInput_normalizedStateThenOneHotPerHead() {
    float[] out = new float[7];
    DynamicsModel m = handSet();
    DynamicsModel.encodeInput(statsOf(m), List.of(3, 2), new double[] {3, 0.25}, new int[] {1, 0}, out, 0);
    assertArrayEquals(new float[] {1f, 0.5f, 0, 1, 0, 1, 0}, out, 1e-7f);
    assertThrows(IllegalArgumentException.class,
        () -> DynamicsModel.encodeInput(statsOf(m), List.of(3, 2), new double[] {0, 0}, new int[] {3, 0}, new float[7], 0));
  }

  private static DatasetStats statsOf(DynamicsModel m) {
    FeatureStats s = new FeatureStats(new double[] {1, 0}, new double[] {2, 0.5}, new double[2], new double[2], new double[2],
        new double[2], 10);
    return new DatasetStats(s, s);
  }

  @Test
  void saveLoad_roundTrip_predictsTheSame(@TempDir Path dir) {
    DynamicsModel m = handSet();
    m.save(dir.resolve("d"));
    DynamicsModel back = DynamicsModel.load(dir.resolve("d"));
    assertEquals(m.info(), back.info());
    assertArrayEquals(m.predictMean(new double[][] {{0.3, 0.7}}, new int[][] {{0, 1}})[0],
        back.predictMean(new double[][] {{0.3, 0.7}}, new int[][] {{0, 1}})[0], 0);
  }

  @Test
  void golden_v1Directory_loadsAndPredictsAsWritten() throws Exception {
    if (Boolean.getBoolean("quill.writeGolden")) {
      handSet().save(GOLDEN.toAbsolutePath());
    }
    assertTrue(Files.isDirectory(GOLDEN), "golden directory " + GOLDEN + " is missing");
    DynamicsModel m = DynamicsModel.load(GOLDEN);
    assertEquals(1, m.info().formatVersion());
    assertEquals(List.of(3, 2), m.info().vocabSizes());
    assertArrayEquals(new double[] {4, -1.5}, m.predictMean(new double[][] {{3, -1}}, new int[][] {{2, 1}})[0], 1e-6);
  }

  @Test
  void load_missingFile_namesIt(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DynamicsModel.load(dir));
    assertTrue(e.getMessage().contains("dynamics.json"), e.getMessage());
  }
}
