package dev.quill.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.dynamics.DynamicsModel;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class GaussianNegLogLikelihoodTest {

  @Test
  void score_handComputed_twoDims() {
    // y = [1, 0], mu = [0, 0.5], v = [0, ln 4]: per dim 0.5 (v + (y-mu)^2 e^-v) + 0.5 ln 2pi
    // dim 0: 0.5 (0 + 1) = 0.5; dim 1: 0.5 (ln 4 + 0.25 / 4) = 0.5 ln 4 + 0.03125
    INDArray out = Nd4j.create(new double[] {0, 0.5, 0, Math.log(4)}, new long[] {1, 4}, 'c');
    INDArray y = Nd4j.create(new double[] {1, 0}, new long[] {1, 2}, 'c');
    double expected = (0.5 + 0.5 * Math.log(4) + 0.03125) / 2 + 0.5 * Math.log(2 * Math.PI);
    GaussianNegLogLikelihood loss = new GaussianNegLogLikelihood(2);
    assertEquals(expected, loss.computeScore(y, out, new ActivationIdentity(), null, true), 1e-12);
    // dmu = -(y - mu) e^-v / 2 = [-0.5, 0.5 * 0.25 / 2]; dv = 0.5 (1 - (y-mu)^2 e^-v) / 2 = [0, 0.5 * (1 - 0.0625) / 2]
    assertArrayEquals(new double[] {-0.5, 0.0625, 0, 0.234375},
        loss.computeGradient(y, out, new ActivationIdentity(), null).dup('c').data().asDouble(), 1e-12);
  }

  @Test
  void gradientCheck_dynamicsNetwork_passes() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerNetwork net = new MultiLayerNetwork(DynamicsModel.conf(3, List.of(2, 3), List.of(6), new NoOp(), 5, DataType.DOUBLE));
      net.init();
      Nd4j.getRandom().setSeed(9);
      INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 8).subi(0.5);
      INDArray y = Nd4j.rand(DataType.DOUBLE, 6, 3).subi(0.5);
      boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
          .net(net).input(x).labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
      assertTrue(ok, "gradient check failed");
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }
}
