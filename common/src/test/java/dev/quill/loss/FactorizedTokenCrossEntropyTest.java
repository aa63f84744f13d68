package dev.quill.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.PolicyNetworks;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

class FactorizedTokenCrossEntropyTest {
  private static final double TOL = 1e-6;
  private final FactorizedTokenCrossEntropy loss = new FactorizedTokenCrossEntropy(2, 3);

  /** Head 0 logits [1, 2, 3] with label 2; head 1 logits [0, 0, 0] with label 1. */
  private static INDArray logits() {
    return Nd4j.create(new double[] {1, 2, 3, 0, 0, 0}, new long[] {1, 6}, 'c');
  }

  private static INDArray labels() {
    return Nd4j.create(new double[] {2, 1}, new long[] {1, 2}, 'c');
  }

  @Test
  void score_tinyExample_matchesHandComputedValue() {
    // head 0: ln(e + e^2 + e^3) - 3 = 0.4076059644; head 1: ln 3 = 1.0986122887; mean over heads
    double expected = (0.4076059644 + 1.0986122887) / 2;
    assertEquals(expected, loss.computeScore(labels(), logits(), new ActivationIdentity(), null, true), TOL);
    assertEquals(expected, loss.computeScoreArray(labels(), logits(), new ActivationIdentity(), null).getDouble(0), TOL);
  }

  @Test
  void gradient_tinyExample_isSoftmaxMinusOneHotOverHeads() {
    INDArray g = loss.computeGradient(labels(), logits(), new ActivationIdentity(), null);
    double[] expected = {0.0900305732 / 2, 0.2447284711 / 2, (0.6652409558 - 1) / 2, 1.0 / 6, -1.0 / 3, 1.0 / 6};
    assertArrayEquals(expected, g.toDoubleVector(), TOL);
  }

  @Test
  void score_averageFalse_sumsOverExamples() {
    INDArray x = Nd4j.vstack(logits(), logits());
    INDArray y = Nd4j.vstack(labels(), labels());
    double one = loss.computeScore(labels(), logits(), new ActivationIdentity(), null, true);
    assertEquals(2 * one, loss.computeScore(y, x, new ActivationIdentity(), null, false), TOL);
    assertEquals(one, loss.computeScore(y, x, new ActivationIdentity(), null, true), TOL);
  }

  @Test
  void score_hugeLogits_staysFinite() {
    INDArray x = Nd4j.create(new double[] {1e4, -1e4, 0, 5e3, 5e3, -5e3}, new long[] {1, 6}, 'c').castTo(DataType.FLOAT);
    double s = loss.computeScore(labels().castTo(DataType.FLOAT), x, new ActivationIdentity(), null, true);
    assertTrue(Double.isFinite(s), "score " + s);
    // head 0: CE = 1e4 (label logit 0 vs max 1e4); head 1: CE = ln 2; mean over the two heads
    assertEquals((1e4 + Math.log(2)) / 2, s, 1e-2);
  }

  @Test
  void mask_zeroForAnExample_removesItsScoreAndGradient() {
    INDArray x = Nd4j.vstack(logits(), logits());
    INDArray y = Nd4j.vstack(labels(), labels());
    INDArray mask = Nd4j.create(new double[] {1, 0}, new long[] {2, 1}, 'c');
    INDArray scores = loss.computeScoreArray(y, x, new ActivationIdentity(), mask);
    assertEquals(0.0, scores.getDouble(1), 0.0);
    INDArray g = loss.computeGradient(y, x, new ActivationIdentity(), mask);
    assertEquals(0.0, g.getRow(1).norm1Number().doubleValue(), 0.0);
  }

  @Test
  void labels_outOfRangeToken_isRejectedWithExampleAndHead() {
    INDArray bad = Nd4j.create(new double[] {2, 3}, new long[] {1, 2}, 'c');
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loss.computeScore(bad, logits(), new ActivationIdentity(), null, true));
    assertTrue(e.getMessage().contains("example 0, head 1"), e.getMessage());
  }

  @Test
  void gradientCheck_smallNetwork_passes() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerConfiguration conf = PolicyNetworks.factorized(4, 3, 5, List.of(6, 5), new NoOp(), 12345, DataType.DOUBLE);
      MultiLayerNetwork net = new MultiLayerNetwork(conf);
      net.init();
      Nd4j.getRandom().setSeed(7);
      INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 4).subi(0.5);
      INDArray y = Nd4j.create(new double[] {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3},
          new long[] {8, 3}, 'c');
      boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
          .net(net).input(x).labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
      assertTrue(ok, "gradient check failed");
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void networkConfig_jsonRoundTrip_keepsLoss() {
    MultiLayerConfiguration conf = PolicyNetworks.factorized(4, 3, 5, List.of(8), new Adam(1e-3), 1, DataType.FLOAT);
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
    assertEquals(conf, back);
    assertTrue(back.toJson().contains("FactorizedTokenCrossEntropy"));
  }
}
