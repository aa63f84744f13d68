package dev.quill.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyInfo;
import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.runtime.ArtifactFormat;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.PolicyRunner;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The autoregressive head exported to the runtime: trunk + stacked {@code heads} layer + previous-token
 * embeddings, decoded greedily in order, must pick the same tokens and actions as the DL4J graph.
 */
class AutoregressiveExportTest {
  private static final int S = 4;
  private static final int D = 3;
  private static final int B = 8;

  private static Policy randomAutoregressive(String decoding) {
    TrainConfig tc = new TrainConfig("autoregressive", List.of(16), 1, 16, 1e-3, 1, "auto", decoding, 0, "mlp",
        List.of(16, 32));
    ComputationGraph g = new ComputationGraph(PolicyNetworks.autoregressive(S, D, B, List.of(16), new Adam(1e-3), 3,
        DataType.FLOAT));
    g.init();
    // the embeddings start at zero; give them values as large as the head logits so they decide many tokens
    Random r = new Random(5);
    for (int j = 1; j < D; j++) {
      float[] e = new float[j * B * B];
      for (int k = 0; k < e.length; k++) {
        e[k] = (float) (2 * r.nextGaussian());
      }
      g.getLayer("emb_" + j).setParam("W", Nd4j.create(e, new long[] {(long) j * B, B}, 'c'));
    }
    double[] z = new double[S];
    double[] one = new double[S];
    java.util.Arrays.fill(one, 1);
    double[] dz = new double[D];
    double[] done = new double[D];
    java.util.Arrays.fill(done, 1);
    DatasetStats stats = new DatasetStats(new FeatureStats(z, one, z, one, z, one, 10),
        new FeatureStats(dz, done, dz, done, dz, done, 10));
    PolicyInfo info = new PolicyInfo(PolicyInfo.FORMAT, 1, "autoregressive", "linear", S, D, List.of("a", "b", "c", "d"),
        List.of("u", "v", "w"), tc, 1, 1, Double.NaN);
    double[] lo = {-1, -1, -1};
    double[] hi = {1, 1, 1};
    return new Policy(g, new UniformBinTokenizer(B, lo, hi), stats, info);
  }

  @Test
  void export_autoregressiveGreedy_runtimeMatchesDl4jTokensAndActions() {
    Policy p = randomAutoregressive("greedy");
    PolicyModel m = ArtifactFormat.fromBytes(ArtifactFormat.toBytes(PolicyExporter.export(p, new ExportOptions("fp32", true))),
        "test");
    PolicyRunner runner = m.newRunner();
    Random r = new Random(11);
    double[][] states = new double[500][S];
    for (double[] s : states) {
      for (int k = 0; k < S; k++) {
        s[k] = 2 * r.nextGaussian();
      }
    }
    int[][] expected = p.tokens(states);
    int dependsOnEmbeddings = 0;
    for (int i = 0; i < states.length; i++) {
      runner.forward(states[i]);
      assertArrayEquals(expected[i], runner.tokens(), "state " + i);
      assertArrayEquals(p.act(states[i]), runner.act(states[i]), 1e-6, "state " + i);
    }
    // the check means something only if the previous tokens change later choices: compare with E = 0
    Policy noEmb = randomAutoregressive("greedy");
    for (int j = 1; j < D; j++) {
      noEmb.graph().getLayer("emb_" + j).setParam("W", Nd4j.zeros(DataType.FLOAT, (long) j * B, B));
    }
    int[][] without = noEmb.tokens(states);
    for (int i = 0; i < states.length; i++) {
      if (!java.util.Arrays.equals(without[i], expected[i])) {
        dependsOnEmbeddings++;
      }
    }
    assertTrue(dependsOnEmbeddings > 100, "embeddings changed only " + dependsOnEmbeddings + " of 500 token vectors");
    assertEquals("autoregressive", m.head().type());
  }

  @Test
  void export_autoregressiveSampled_isRefusedNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PolicyExporter.export(randomAutoregressive("sampled"), new ExportOptions("fp32", true)));
    assertTrue(e.getMessage().contains("train.decoding=sampled"), e.getMessage());
  }
}
