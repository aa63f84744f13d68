package dev.quill.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigException;
import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.quant.uniform.UniformBinTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/** The autoregressive and continuous heads: graph layout, gradients, decoding, files. */
class PolicyHeadsTest {

  static PolicyInfo info(String head, TrainConfig tc, int stateDim, int actionDim) {
    return new PolicyInfo(PolicyInfo.FORMAT, 1, head, "linear", stateDim, actionDim, names("s", stateDim), names("a", actionDim),
        tc, 4, 1, Double.NaN);
  }

  private static List<String> names(String prefix, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  static DatasetStats stats(int stateDim, double[] actionMean, double[] actionStd) {
    double[] z = new double[stateDim];
    double[] one = new double[stateDim];
    Arrays.fill(one, 1);
    int d = actionMean.length;
    return new DatasetStats(new FeatureStats(z, one, z, one, z, one, 10),
        new FeatureStats(actionMean, actionStd, new double[d], new double[d], new double[d], new double[d], 10));
  }

  /** Two action dims of two bins each on [-1, 1] (centres -0.5, 0.5); trunk output zero, logits set by biases. */
  private static Policy handSetAutoregressive(String decoding, double[] headBias, double[][] emb1) {
    TrainConfig tc = new TrainConfig("autoregressive", List.of(3), 1, 16, 1e-3, 1, "auto", decoding, 11, "mlp", List.of(16, 32));
    ComputationGraph g = new ComputationGraph(PolicyNetworks.autoregressive(2, 2, 2, List.of(3), new Adam(1e-3), 1,
        DataType.FLOAT));
    g.init();
    g.getLayer("heads").setParam("W", Nd4j.zeros(DataType.FLOAT, 3, 4));
    g.getLayer("heads").setParam("b", Nd4j.create(headBias, new long[] {1, 4}, 'c').castTo(DataType.FLOAT));
    g.getLayer("emb_1").setParam("W", Nd4j.create(emb1).castTo(DataType.FLOAT));
    return new Policy(g, new UniformBinTokenizer(2, new double[] {-1, -1}, new double[] {1, 1}),
        stats(2, new double[2], new double[] {1, 1}), info("autoregressive", tc, 2, 2));
  }

  @Test
  void autoregressive_greedy_conditionsDimensionOneOnTokenZero() {
    // logits_0 = [0, 1] -> token 1; logits_1 = [0.5, 0] + E_{1,0}[1] = [0.5 - 1, 0] -> token 1 (token 0 had it been 0)
    Policy p = handSetAutoregressive("greedy", new double[] {0, 1, 0.5, 0}, new double[][] {{0, 0}, {-1, 0}});
    assertArrayEquals(new int[] {1, 1}, p.tokens(new double[][] {{0.3, -0.2}})[0]);
    assertArrayEquals(new double[] {0.5, 0.5}, p.act(new double[] {0.3, -0.2}), 1e-12);
    assertArrayEquals(new float[] {0, 1, -0.5f, 0}, p.logits(new double[][] {{0, 0}})[0], 1e-6f);
    Policy flipped = handSetAutoregressive("greedy", new double[] {1, 0, 0.5, 0}, new double[][] {{0, 0}, {-1, 0}});
    assertArrayEquals(new int[] {0, 0}, flipped.tokens(new double[][] {{0.3, -0.2}})[0]);
  }

  @Test
  void autoregressive_sampled_matchesTheSoftmaxAndRepeatsWithTheSeed() {
    // logits_0 = [0, ln 3] -> p(token 1) = 0.75; E = 0 so dimension 1 is [0, 0] -> p = 0.5
    double ln3 = Math.log(3);
    Policy a = handSetAutoregressive("sampled", new double[] {0, ln3, 0, 0}, new double[][] {{0, 0}, {0, 0}});
    Policy b = handSetAutoregressive("sampled", new double[] {0, ln3, 0, 0}, new double[][] {{0, 0}, {0, 0}});
    double[][] states = new double[4000][2];
    int[][] ta = a.tokens(states);
    assertArrayEquals(ta, b.tokens(states));
    double ones0 = Arrays.stream(ta).filter(t -> t[0] == 1).count() / 4000.0;
    double ones1 = Arrays.stream(ta).filter(t -> t[1] == 1).count() / 4000.0;
    assertEquals(0.75, ones0, 0.03);
    assertEquals(0.5, ones1, 0.03);
  }

  @Test
  void autoregressive_logitsOfDimensionJ_neverReadTokensAtOrAfterJ() {
    ComputationGraph g = new ComputationGraph(PolicyNetworks.autoregressive(3, 3, 4, List.of(5), new Adam(1e-3), 3,
        DataType.FLOAT));
    g.init();
    Nd4j.getRandom().setSeed(5);
    g.setParams(Nd4j.rand(DataType.FLOAT, 1, g.numParams()).subi(0.5));
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3);
    INDArray prev = oneHot(new int[][] {{0, 1, 2}, {3, 3, 0}}, 4);
    float[] base = g.outputSingle(false, x, prev).dup('c').data().asFloat();
    // change token 1 only: logits of dims 0 and 1 unchanged, dim 2 changes
    float[] changed = g.outputSingle(false, x, oneHot(new int[][] {{0, 2, 2}, {3, 0, 0}}, 4)).dup('c').data().asFloat();
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(Arrays.copyOfRange(base, i * 12, i * 12 + 8), Arrays.copyOfRange(changed, i * 12, i * 12 + 8), 0f);
      assertTrue(!Arrays.equals(Arrays.copyOfRange(base, i * 12 + 8, i * 12 + 12),
          Arrays.copyOfRange(changed, i * 12 + 8, i * 12 + 12)));
    }
  }

  @Test
  void autoregressive_withZeroEmbeddings_equalsTheFactorizedHeadExactly() {
    ComputationGraph g = new ComputationGraph(PolicyNetworks.autoregressive(4, 3, 5, List.of(6, 7), new Adam(1e-3), 9,
        DataType.FLOAT));
    g.init();
    MultiLayerNetwork f = new MultiLayerNetwork(PolicyNetworks.factorized(4, 3, 5, List.of(6, 7), new Adam(1e-3), 2,
        DataType.FLOAT));
    f.init();
    f.getLayer(0).setParams(g.getLayer("trunk0").params().dup());
    f.getLayer(1).setParams(g.getLayer("trunk1").params().dup());
    f.getLayer(2).setParams(g.getLayer("heads").params().dup());
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(DataType.FLOAT, 6, 4).subi(0.5);
    INDArray prev = oneHot(new int[][] {{0, 1, 2}, {4, 4, 4}, {1, 0, 3}, {2, 2, 2}, {3, 1, 0}, {0, 0, 0}}, 5);
    assertArrayEquals(f.output(x).dup('c').data().asFloat(), g.outputSingle(false, x, prev).dup('c').data().asFloat(), 0f);
  }

  @Test
  void autoregressive_gradientCheck_passes() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      ComputationGraph g = new ComputationGraph(PolicyNetworks.autoregressive(3, 3, 4, List.of(5), new NoOp(), 7,
          DataType.DOUBLE));
      g.init();
      Nd4j.getRandom().setSeed(11);
      g.setParams(Nd4j.rand(DataType.DOUBLE, 1, g.numParams()).subi(0.5));
      int[][] tokens = {{0, 1, 2}, {3, 3, 0}, {1, 2, 3}, {2, 0, 1}, {0, 0, 0}};
      INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5);
      INDArray y = Nd4j.create(Arrays.stream(tokens).flatMapToInt(Arrays::stream).asDoubleStream().toArray(), new long[] {5, 3},
          'c');
      boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
          .inputs(new INDArray[] {x, oneHot(tokens, 4).castTo(DataType.DOUBLE)}).labels(new INDArray[] {y})
          .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
      assertTrue(ok, "gradient check failed");
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void continuous_act_denormalizesTheRegressedAction() {
    TrainConfig tc = new TrainConfig("continuous", List.of(3), 1, 16, 1e-3, 1, "auto");
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.continuous(2, 2, List.of(3), new Adam(1e-3), 1, DataType.FLOAT));
    net.init();
    net.getLayer(1).setParam("W", Nd4j.zeros(DataType.FLOAT, 3, 2));
    net.getLayer(1).setParam("b", Nd4j.create(new float[] {1, -2}, new long[] {1, 2}, 'c'));
    Policy p = new Policy(net, new UniformBinTokenizer(2, new double[] {-1, -1}, new double[] {1, 1}),
        stats(2, new double[] {0.5, 0}, new double[] {2, 0.1}), info("continuous", tc, 2, 2));
    // a = mean + std * y = [0.5 + 2 * 1, 0 + 0.1 * -2]
    assertArrayEquals(new double[] {2.5, -0.2}, p.act(new double[] {0.7, 0.1}), 1e-6);
    assertThrows(IllegalStateException.class, () -> p.tokens(new double[][] {{0, 0}}));
  }

  @Test
  void policyFiles_roundTripOfAutoregressiveAndContinuous_keepsHeadAndActions(@TempDir Path dir) {
    Policy ar = handSetAutoregressive("greedy", new double[] {0, 1, 0.5, 0}, new double[][] {{0, 0}, {-1, 0}});
    PolicyFiles.save(ar, dir.resolve("ar"));
    Policy back = PolicyFiles.load(dir.resolve("ar"));
    assertEquals("autoregressive", back.info().head());
    assertEquals("greedy", back.info().train().decoding());
    assertArrayEquals(ar.act(new double[] {0.1, 0.2}), back.act(new double[] {0.1, 0.2}), 0);
    assertThrows(IllegalStateException.class, back::network);

    TrainConfig tc = new TrainConfig("continuous", List.of(3), 1, 16, 1e-3, 1, "auto");
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.continuous(2, 2, List.of(3), new Adam(1e-3), 1, DataType.FLOAT));
    net.init();
    Policy c = new Policy(net, new UniformBinTokenizer(2, new double[] {-1, -1}, new double[] {1, 1}),
        stats(2, new double[] {0.5, 0}, new double[] {2, 0.1}), info("continuous", tc, 2, 2));
    PolicyFiles.save(c, dir.resolve("c"));
    assertArrayEquals(c.act(new double[] {0.1, 0.2}), PolicyFiles.load(dir.resolve("c")).act(new double[] {0.1, 0.2}), 0);
  }

  @Test
  void policyInfo_writtenBeforeDecodingKeys_readsAsGreedy() throws Exception {
    String json = dev.quill.util.Json.write(info("factorized", new TrainConfig("factorized", List.of(3), 1, 16, 1e-3, 1, "auto"),
        2, 2)).replaceAll(",\\s*\"decoding\"\\s*:\\s*\"greedy\",\\s*\"decodingSeed\"\\s*:\\s*0", "");
    assertTrue(!json.contains("decoding"), json);
    PolicyInfo back = dev.quill.util.Json.MAPPER.readValue(json, PolicyInfo.class);
    assertEquals("greedy", back.train().decoding());
  }

  @Test
  void trainConfig_badDecoding_namesKeyValueAndAllowed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new TrainConfig("autoregressive", List.of(3), 1, 16, 1e-3, 1, "auto", "beam", 0, "mlp", List.of(16, 32)));
    assertTrue(e.getMessage().contains("decoding") && e.getMessage().contains("beam") && e.getMessage().contains("sampled"),
        e.getMessage());
  }

  static INDArray oneHot(int[][] tokens, int vocab) {
    int d = tokens[0].length;
    float[] hot = new float[tokens.length * d * vocab];
    for (int i = 0; i < tokens.length; i++) {
      for (int j = 0; j < d; j++) {
        hot[(i * d + j) * vocab + tokens[i][j]] = 1f;
      }
    }
    return Nd4j.create(hot, new long[] {tokens.length, (long) d * vocab}, 'c');
  }
}
