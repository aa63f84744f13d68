package dev.quill.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.nn.qat.LsqActivation;
import dev.quill.nn.qat.Quantization;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyInfo;
import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.uniform.UniformBinTokenizer;
import dev.quill.runtime.ArtifactFormat;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.PolicyRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Format version 1 is frozen by {@code golden/policy-artifact-v1.qpol}: a 2 -> 4 -> 2x4-bin policy with fixed
 * weights exported as int4 per channel. Version 2 is frozen by {@code golden/policy-artifact-v2.qpol}: the same
 * policy with an unsigned 4-bit LSQ activation layer (step 0.5) after its hidden layer. The files embed the
 * policy's metadata ({@code policy.json} text, which lists every training config key), so adding a config key
 * changes their bytes but not their layout: regenerate ({@code -Dquill.regenerateGolden=true}) only after
 * checking that the metadata text is the only difference; the read tests must pass on the old file first.
 */
public class ArtifactGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/policy-artifact-v1.qpol");
  private static final Path GOLDEN_V2 = Path.of("src/test/resources/golden/policy-artifact-v2.qpol");
  private static final double[][] STATES = {{0, 0}, {1.5, -0.25}, {-2, 3}, {0.5, -1}, {3, 1}, {-1, -2}};

  /** The fixed 2 -> 4 -> 2x4-bin policy of the golden file. */
  public static Policy tinyPolicy() {
    TrainConfig tc = new TrainConfig("factorized", List.of(4), 1, 8, 0.001, 1, "auto");
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.factorized(2, 2, 4, List.of(4), new Adam(0.001), 1, DataType.FLOAT));
    net.init();
    float[] p = new float[(int) net.numParams()];
    for (int k = 0; k < p.length; k++) {
      p[k] = (float) Math.sin(0.7 * k + 0.3);
    }
    net.setParams(Nd4j.create(p, new long[] {1, p.length}));
    FeatureStats state = new FeatureStats(new double[] {0.5, -1}, new double[] {2, 0.5}, new double[] {-3, -2},
        new double[] {3, 1}, new double[] {-3, -2}, new double[] {3, 1}, 10);
    FeatureStats action = new FeatureStats(new double[] {0, 0}, new double[] {1, 1}, new double[] {-1, -2},
        new double[] {1, 2}, new double[] {-1, -2}, new double[] {1, 2}, 10);
    PolicyInfo info = new PolicyInfo(PolicyInfo.FORMAT, 1, "factorized", "golden", 2, 2, List.of("x", "y"),
        List.of("u", "v"), tc, 1, 1, 0.5);
    return new Policy(net, new UniformBinTokenizer(4, new double[] {-1, -2}, new double[] {1, 2}),
        new DatasetStats(state, action), info);
  }

  @Test
  void export_tinyPolicyInt4_matchesGoldenBytes() throws IOException {
    byte[] bytes = ArtifactFormat.toBytes(PolicyExporter.export(tinyPolicy(), new ExportOptions("int4", true)));
    if (Boolean.getBoolean("quill.regenerateGolden")) {
      Files.write(GOLDEN, bytes);
    }
    assertTrue(Files.exists(GOLDEN), "missing " + GOLDEN + " (run once with -Dquill.regenerateGolden=true)");
    assertArrayEquals(Files.readAllBytes(GOLDEN), bytes, "export changed the v1 byte layout");
  }

  /** {@link #tinyPolicy()} with an unsigned 4-bit LSQ layer of step 0.5 after the hidden layer (W4A4 layout). */
  public static Policy tinyLsqPolicy() {
    Policy p = tinyPolicy();
    MultiLayerNetwork net = new MultiLayerNetwork(Quantization.withActivationQuant(p.network().getLayerWiseConfigurations(), 4));
    net.init();
    Quantization.copyParams(p.network(), net);
    net.getLayer(1).getParam(LsqActivation.STEP_KEY).assign(0.5);
    return new Policy(net, p.tokenizer(), p.stats(), p.info());
  }

  @Test
  void export_tinyLsqPolicyInt4_matchesGoldenV2Bytes() throws IOException {
    byte[] bytes = ArtifactFormat.toBytes(PolicyExporter.export(tinyLsqPolicy(), new ExportOptions("int4", true)));
    if (Boolean.getBoolean("quill.regenerateGolden")) {
      Files.write(GOLDEN_V2, bytes);
    }
    assertTrue(Files.exists(GOLDEN_V2), "missing " + GOLDEN_V2 + " (run once with -Dquill.regenerateGolden=true)");
    assertArrayEquals(Files.readAllBytes(GOLDEN_V2), bytes, "export changed the v2 byte layout");
    assertEquals(2, java.nio.ByteBuffer.wrap(bytes).getInt(8));
  }

  @Test
  void read_goldenV2_actsLikeTheDl4jLsqNetworkAndDiffersFromV1() {
    PolicyModel m = ArtifactFormat.read(GOLDEN_V2);
    assertEquals("uint4 step 0.5", m.trunk().get(0).quantizer().toString());
    Policy p = tinyLsqPolicy();
    Policy ptq = new Policy(Quantization.postTraining(p.network(), 4, true), p.tokenizer(), p.stats(), p.info());
    PolicyModel v1 = ArtifactFormat.read(GOLDEN);
    float[][] logits = ptq.logits(STATES);
    int differs = 0;
    for (int i = 0; i < STATES.length; i++) {
      assertArrayEquals(ptq.act(STATES[i]), m.newRunner().act(STATES[i]), 0.0, java.util.Arrays.toString(STATES[i]));
      PolicyRunner r = m.newRunner();
      r.forward(STATES[i]);
      assertArrayEquals(logits[i], r.logits(), 1e-6f, java.util.Arrays.toString(STATES[i]));
      PolicyRunner plain = v1.newRunner();
      plain.forward(STATES[i]);
      differs += java.util.Arrays.equals(plain.logits(), r.logits()) ? 0 : 1;
    }
    assertTrue(differs >= STATES.length / 2, "activation quantization changed the logits of only " + differs + " states");
  }

  @Test
  void read_golden_actsLikeThePtqNetwork() {
    PolicyModel m = ArtifactFormat.read(GOLDEN);
    Policy p = tinyPolicy();
    Policy ptq = new Policy(Quantization.postTraining(p.network(), 4, true), p.tokenizer(), p.stats(), p.info());
    for (double[] s : STATES) {
      assertArrayEquals(ptq.act(s), m.newRunner().act(s), 0.0, java.util.Arrays.toString(s));
    }
  }

  @Test
  void export_batchNormLayer_failsNamingLayerAndParameters() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new DenseLayer.Builder().nIn(2).nOut(4).activation(Activation.RELU).build())
        .layer(new BatchNormalization.Builder().nIn(4).nOut(4).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(8).activation(Activation.IDENTITY).build())
        .build());
    net.init();
    Policy p = tinyPolicy();
    Policy bad = new Policy(net, p.tokenizer(), p.stats(), p.info());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PolicyExporter.export(bad, new ExportOptions("fp32", true)));
    assertTrue(e.getMessage().startsWith("layer 1 (BatchNormalization) has parameters [beta, gamma, log10stdev, mean]"), e.getMessage());
  }
}
