package dev.quill.nn.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.loss.FactorizedTokenCrossEntropy;
import dev.quill.policy.PolicyNetworks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

class LsqTest {
  private static final double TOL = 1e-9;

  private static INDArray v() {
    return Nd4j.create(new double[] {-0.3, 0.26, 1.0, 9.0}, new long[] {1, 4}, 'c');
  }

  @Test
  void forward_twoBitsUnsigned_handComputed() {
    // s = 0.5, Q_P = 3: v/s = (-0.6, 0.52, 2, 18) -> clip (0, 0.52, 2, 3) -> round (0, 1, 2, 3) -> x 0.5
    assertArrayEquals(new double[] {0, 0.5, 1.0, 1.5}, LsqOps.forward(v(), 0.5, 2, false).toDoubleVector(), TOL);
  }

  @Test
  void forward_threeBitsSigned_handComputed() {
    // s = 0.1, Q_N = 4, Q_P = 3: v/s = (-3, 2.6, 10, 90) -> clip (-3, 2.6, 3, 3) -> round (-3, 3, 3, 3) -> x 0.1
    assertArrayEquals(new double[] {-0.3, 0.3, 0.3, 0.3}, LsqOps.forward(v(), 0.1, 3, true).toDoubleVector(), TOL);
  }

  @Test
  void backward_twoBitsUnsigned_handComputed() {
    // inside (0 < v/s < 3): (no, yes, yes, no); dv_hat/ds = (0 - 0, 1 - 0.52, 2 - 2, 3) with eps (1, 2, 3, 4)
    INDArray eps = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {1, 4}, 'c');
    LsqOps.Grad g = LsqOps.backward(v(), 0.5, eps, 2, false, 1.0);
    assertArrayEquals(new double[] {0, 2, 3, 0}, g.dv().toDoubleVector(), TOL);
    assertEquals(2 * 0.48 + 4 * 3, g.ds(), TOL);
    double scale = LsqOps.gradScale(4, 2, false);
    assertEquals(1 / Math.sqrt(12), scale, TOL);
    assertEquals(12.96 / Math.sqrt(12), LsqOps.backward(v(), 0.5, eps, 2, false, scale).ds(), TOL);
  }

  @Test
  void backward_matchesFiniteDifferencesOfTheStraightThroughSurrogate() {
    // LSQ's gradients are the exact gradients of s * clip(v/s) + s * r with r = round(c) - c held constant.
    Nd4j.getRandom().setSeed(11);
    INDArray v = Nd4j.rand(DataType.DOUBLE, 3, 5).muli(4).subi(1.3);
    INDArray eps = Nd4j.rand(DataType.DOUBLE, 3, 5).subi(0.5);
    double s = 0.37;
    int bits = 3;
    INDArray c = Nd4j.createFromArray(clip(v.toDoubleMatrix(), s, bits));
    INDArray r = org.nd4j.linalg.ops.transforms.Transforms.round(c, true).subi(c);
    LsqOps.Grad g = LsqOps.backward(v, s, eps, bits, true, 1.0);
    double h = 1e-6;
    double fdS = (surrogate(v, s + h, r, eps, bits) - surrogate(v, s - h, r, eps, bits)) / (2 * h);
    assertEquals(fdS, g.ds(), 1e-6);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 5; j++) {
        INDArray up = v.dup();
        up.putScalar(i, j, v.getDouble(i, j) + h);
        INDArray down = v.dup();
        down.putScalar(i, j, v.getDouble(i, j) - h);
        double fd = (surrogate(up, s, r, eps, bits) - surrogate(down, s, r, eps, bits)) / (2 * h);
        assertEquals(fd, g.dv().getDouble(i, j), 1e-6, "dv at " + i + "," + j);
      }
    }
  }

  private static double[][] clip(double[][] v, double s, int bits) {
    double[][] c = new double[v.length][];
    for (int i = 0; i < v.length; i++) {
      c[i] = new double[v[i].length];
      for (int j = 0; j < v[i].length; j++) {
        c[i][j] = Math.max(-LsqOps.qN(bits, true), Math.min(LsqOps.qP(bits, true), v[i][j] / s));
      }
    }
    return c;
  }

  private static double surrogate(INDArray v, double s, INDArray r, INDArray eps, int bits) {
    INDArray c = Nd4j.createFromArray(clip(v.toDoubleMatrix(), s, bits));
    return c.addi(r).muli(s).muli(eps).sumNumber().doubleValue();
  }

  private static MultiLayerConfiguration saturatedNet(boolean gradScale) {
    // Dense outputs are all far above the clip point s * Q_P = 0.03, so the LSQ output is the constant
    // 0.03 and its true derivatives are 0 for v and Q_P = 3 per element for s: a finite-difference check holds.
    return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.IDENTITY).biasInit(5.0).build())
        .layer(new LsqActivation.Builder().nIn(6).nOut(6).bits(2).initStep(0.01).gradScale(gradScale)
            .activation(Activation.IDENTITY).build())
        .layer(new OutputLayer.Builder(new FactorizedTokenCrossEntropy(2, 3)).nIn(6).nOut(6)
            .activation(Activation.IDENTITY).build())
        .build();
  }

  @Test
  void gradientCheck_networkWithLsqLayer_includingTheStepSize_passes() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerNetwork net = new MultiLayerNetwork(saturatedNet(false));
      net.init();
      Nd4j.getRandom().setSeed(5);
      INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5);
      net.getLayer(2).getParam("W").assign(Nd4j.rand(DataType.DOUBLE, 6, 6).subi(0.5).muli(40));
      INDArray y = Nd4j.create(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, new long[] {5, 2}, 'c');
      net.setInput(x);
      net.setLabels(y);
      net.computeGradientAndScore();
      double ds = net.gradient().gradientForVariable().get("1_s").getDouble(0);
      assertNotEquals(0.0, ds, "the step size must receive a gradient");
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
          .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check failed");
      MultiLayerNetwork scaled = new MultiLayerNetwork(saturatedNet(true));
      scaled.init();
      scaled.setParams(net.params());
      scaled.setInput(x);
      scaled.setLabels(y);
      scaled.computeGradientAndScore();
      assertEquals(ds / Math.sqrt(6 * 3), scaled.gradient().gradientForVariable().get("1_s").getDouble(0), 1e-12);
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  private static MultiLayerConfiguration fp() {
    return PolicyNetworks.factorized(4, 2, 5, List.of(8, 6), new Adam(1e-2), 7, DataType.DOUBLE);
  }

  @Test
  void withActivationQuant_insertsAfterEveryHiddenLayer_andZeroBitsIsUnchanged() {
    MultiLayerConfiguration w4a4 = Quantization.withActivationQuant(Quantization.withFakeQuant(fp(), 4, true), 4);
    assertEquals(5, w4a4.getConfs().size());
    assertTrue(w4a4.getConf(1).getLayer() instanceof LsqActivation a && a.getBits() == 4 && a.getNIn() == 8);
    assertTrue(w4a4.getConf(3).getLayer() instanceof LsqActivation b && b.getNIn() == 6);
    assertEquals(fp(), Quantization.withActivationQuant(fp(), 0));
  }

  @Test
  void sixteenBitActivations_calibrated_matchTheFloatNetwork() {
    MultiLayerNetwork fp = new MultiLayerNetwork(fp());
    fp.init();
    MultiLayerNetwork aq = new MultiLayerNetwork(Quantization.withActivationQuant(fp(), 16));
    aq.init();
    Quantization.copyParams(fp, aq);
    Nd4j.getRandom().setSeed(9);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 64, 4).subi(0.5);
    Quantization.calibrateSteps(aq, x);
    double s = aq.getLayer(1).getParam("s").getDouble(0);
    INDArray h = fp.feedForwardToLayer(0, x, false).get(1);
    assertEquals(2 * h.meanNumber().doubleValue() / Math.sqrt(65535), s, 1e-12);
    assertArrayEquals(fp.output(x).dup().data().asDouble(), aq.output(x).dup().data().asDouble(), 1e-3);
    MultiLayerNetwork a2 = new MultiLayerNetwork(Quantization.withActivationQuant(fp(), 2));
    a2.init();
    Quantization.copyParams(fp, a2);
    Quantization.calibrateSteps(a2, x);
    assertTrue(fp.output(x).sub(a2.output(x)).norm2Number().doubleValue() > 1e-3, "2-bit activations must change outputs");
  }

  @Test
  void jsonAndModelSerializer_roundTrips_keepConfigAndStepSizes() throws IOException {
    MultiLayerConfiguration conf = Quantization.withActivationQuant(Quantization.withFakeQuant(fp(), 3, false), 4);
    assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    net.getLayer(1).getParam("s").assign(0.125);
    net.getLayer(3).getParam("s").assign(0.25);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
    assertEquals(conf, back.getLayerWiseConfigurations());
    assertEquals(0.125, back.getLayer(1).getParam("s").getDouble(0), 0.0);
    assertEquals(0.25, back.getLayer(3).getParam("s").getDouble(0), 0.0);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4);
    assertArrayEquals(net.output(x).dup().data().asDouble(), back.output(x).dup().data().asDouble(), 0.0);
  }

  @Test
  void training_movesTheStepSize() {
    MultiLayerNetwork net = new MultiLayerNetwork(Quantization.withActivationQuant(fp(), 3));
    net.init();
    Nd4j.getRandom().setSeed(4);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 32, 4).subi(0.5);
    Quantization.calibrateSteps(net, x);
    double before = net.getLayer(1).getParam("s").getDouble(0);
    INDArray y = Nd4j.rand(DataType.DOUBLE, 32, 2).muli(4.99).castTo(DataType.INT32).castTo(DataType.DOUBLE);
    net.fit(x, y);
    assertNotEquals(before, net.getLayer(1).getParam("s").getDouble(0));
  }

  @Test
  void builder_badValues_areRejected() {
    assertEquals("bits must be in [2, 16], got 1",
        assertThrows(IllegalArgumentException.class, () -> new LsqActivation.Builder().bits(1)).getMessage());
    assertEquals("LSQ initStep must be a finite number > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new LsqActivation.Builder().initStep(0)).getMessage());
    assertEquals("LSQ layer must have nIn == nOut, got 3 and 4",
        assertThrows(IllegalArgumentException.class, () -> new LsqActivation.Builder().nIn(3).nOut(4).build()).getMessage());
  }
}
