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

class DistilledTokenCrossEntropyTest {
  private static final double TOL = 1e-6;
  private final DistilledTokenCrossEntropy loss = new DistilledTokenCrossEntropy(2, 3);

  /** Logits [1,2,3 | 0,0,0], tokens [2, 1], teacher logits [1,2,2 | 0,1,0], alpha as given. */
  private static INDArray labels(double alpha) {
    return Nd4j.create(new double[] {2, 1, 1, 2, 2, 0, 1, 0, alpha}, new long[] {1, 9}, 'c');
  }

  private static INDArray logits() {
    return Nd4j.create(new double[] {1, 2, 3, 0, 0, 0}, new long[] {1, 6}, 'c');
  }

  @Test
  void score_handComputed_isCrossEntropyPlusAlphaTimesMeanSquaredLogitDifference() {
    double ce = (0.4076059644 + 1.0986122887) / 2;
    double qrd = (1.0 + 1.0) / 6; // differences (0, 0, 1 | 0, -1, 0), squared and averaged over 2 x 3 logits
    assertEquals(ce, loss.computeScore(labels(0), logits(), new ActivationIdentity(), null, true), TOL);
    assertEquals(ce + qrd, loss.computeScore(labels(1), logits(), new ActivationIdentity(), null, true), TOL);
    assertEquals(ce + 2 * qrd, loss.computeScore(labels(2), logits(), new ActivationIdentity(), null, true), TOL);
  }

  @Test
  void gradient_handComputed() {
    INDArray g = loss.computeGradient(labels(2), logits(), new ActivationIdentity(), null);
    double[] ce = {0.0900305732 / 2, 0.2447284711 / 2, (0.6652409558 - 1) / 2, 1.0 / 6, -1.0 / 3, 1.0 / 6};
    double[] diff = {0, 0, 1, 0, -1, 0};
    double[] expected = new double[6];
    for (int i = 0; i < 6; i++) {
      expected[i] = ce[i] + 2 * 2 * diff[i] / 6;
    }
    assertArrayEquals(expected, g.toDoubleVector(), TOL);
  }

  @Test
  void labels_wrongWidth_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loss.computeScore(Nd4j.zeros(1, 8), logits(), new ActivationIdentity(), null, true));
    assertTrue(e.getMessage().contains("labels must have width numHeads + numHeads * numBins + 1 = 9"), e.getMessage());
  }

  @Test
  void gradientCheck_smallNetwork_passes() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
          .list()
          .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
          .layer(new OutputLayer.Builder(new DistilledTokenCrossEntropy(2, 3)).nIn(6).nOut(6).activation(Activation.IDENTITY).build())
          .build();
      MultiLayerNetwork net = new MultiLayerNetwork(conf);
      net.init();
      Nd4j.getRandom().setSeed(5);
      INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5);
      INDArray teacher = Nd4j.rand(DataType.DOUBLE, 5, 6);
      INDArray tokens = Nd4j.create(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, new long[] {5, 2}, 'c');
      INDArray alpha = Nd4j.create(new double[] {1, 2, 1, 0, 2}, new long[] {5, 1}, 'c');
      INDArray y = Nd4j.hstack(tokens, teacher, alpha);
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
          .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check failed");
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }
}
