package dev.quill.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class TeacherDistanceTest {
  private static final double TOL = 1e-7;
  // Student logits (1, 2, 3 | 0, 0, 0), teacher logits (1, 2, 2 | 0, 1, 0). Softmaxes by hand:
  // head 1: p_z = (0.0900306, 0.2447285, 0.6652410), p_t = (e, e^2, e^2) / (e + 2 e^2) = (0.1553624, 0.4223188, 0.4223188)
  // head 2: p_z = (1/3, 1/3, 1/3), p_t = (1, e, 1) / (2 + e) = (0.2119416, 0.5761169, 0.2119416)
  private static final double[] PZ = {0.09003057317, 0.24472847105, 0.66524095577, 1.0 / 3, 1.0 / 3, 1.0 / 3};
  private static final double[] PT = {0.15536240350, 0.42231879825, 0.42231879825, 0.21194155762, 0.57611688477, 0.21194155762};

  private static INDArray z() {
    return Nd4j.create(new double[] {1, 2, 3, 0, 0, 0}, new long[] {1, 6}, 'c');
  }

  private static INDArray t() {
    return Nd4j.create(new double[] {1, 2, 2, 0, 1, 0}, new long[] {1, 6}, 'c');
  }

  @Test
  void probs_perHeadSoftmax_handComputed() {
    assertArrayEquals(PZ, TeacherDistance.probs(z(), 2, 3).toDoubleVector(), TOL);
  }

  @Test
  void kl_teacherFirst_handComputed() {
    double kl = 0;
    for (int i = 0; i < 6; i++) {
      kl += PT[i] * Math.log(PT[i] / PZ[i]);
    }
    assertEquals(0.1232884108, kl / 2, 1e-9);
    assertEquals(kl / 2, TeacherDistance.score("kl", z(), t(), 2, 3).getDouble(0), TOL);
    double[] g = new double[6];
    for (int i = 0; i < 6; i++) {
      g[i] = (PZ[i] - PT[i]) / 2;
    }
    assertArrayEquals(g, TeacherDistance.gradient("kl", z(), t(), 2, 3).toDoubleVector(), TOL);
  }

  @Test
  void probMse_handComputed() {
    double sq = 0;
    for (int i = 0; i < 6; i++) {
      sq += (PZ[i] - PT[i]) * (PZ[i] - PT[i]);
    }
    assertEquals(0.0305389210, sq / 6, 1e-9);
    assertEquals(sq / 6, TeacherDistance.score("probMse", z(), t(), 2, 3).getDouble(0), TOL);
    // head 2: d = (0.1213918, -0.2427836, 0.1213918), <d, p_z> = 0, so g = (2/6) (1/3) d
    INDArray g = TeacherDistance.gradient("probMse", z(), t(), 2, 3);
    assertEquals((2.0 / 6) * (1.0 / 3) * (1.0 / 3 - PT[3]), g.getDouble(0, 3), TOL);
    assertEquals((2.0 / 6) * (1.0 / 3) * (1.0 / 3 - PT[4]), g.getDouble(0, 4), TOL);
  }

  @Test
  void logitMse_handComputed_andZeroAtTheTeacher() {
    assertEquals(2.0 / 6, TeacherDistance.score("logitMse", z(), t(), 2, 3).getDouble(0), TOL);
    for (String d : TeacherDistance.NAMES) {
      assertEquals(0.0, TeacherDistance.score(d, t(), t(), 2, 3).getDouble(0), 1e-12, d);
    }
  }

  @Test
  void unknownDistance_isRejected() {
    assertEquals("distance must be one of [logitMse, kl, probMse], got l2",
        assertThrows(IllegalArgumentException.class, () -> new DistilledTokenCrossEntropy(2, 3, "l2")).getMessage());
  }

  @Test
  void distilledLoss_withKl_isCrossEntropyPlusAlphaTimesKl() {
    DistilledTokenCrossEntropy loss = new DistilledTokenCrossEntropy(2, 3, "kl");
    INDArray labels = Nd4j.create(new double[] {2, 1, 1, 2, 2, 0, 1, 0, 2}, new long[] {1, 9}, 'c');
    double ce = (0.4076059644 + 1.0986122887) / 2;
    assertEquals(ce + 2 * 0.1232884108, loss.computeScore(labels, z(), new ActivationIdentity(), null, true), 1e-7);
  }

  @Test
  void gradientCheck_everyDistance_passes() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      for (String d : TeacherDistance.NAMES) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
            .updater(new NoOp()).list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
            .layer(new OutputLayer.Builder(new DistilledTokenCrossEntropy(2, 3, d)).nIn(6).nOut(6)
                .activation(Activation.IDENTITY).build())
            .build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()), d);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5);
        INDArray teacher = Nd4j.rand(DataType.DOUBLE, 5, 6).muli(3);
        INDArray tokens = Nd4j.create(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, new long[] {5, 2}, 'c');
        INDArray alpha = Nd4j.create(new double[] {1, 2, 1, 0, 2}, new long[] {5, 1}, 'c');
        INDArray y = Nd4j.hstack(tokens, teacher, alpha);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
            .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check failed for " + d);
      }
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }
}
