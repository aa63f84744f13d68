package dev.quill.nn.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.PolicyNetworks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class FakeQuantTest {
  private static final double TOL = 1e-6;

  private static INDArray w() {
    return Nd4j.create(new double[] {0.5, -1.0, 0.2, 0.1}, new long[] {2, 2}, 'c');
  }

  @Test
  void perTensor_threeBits_handComputed() {
    // levels +-3, scale 1/3: 0.5*3 = 1.5 -> 2, -1 -> -3, 0.2*3 = 0.6 -> 1, 0.1*3 = 0.3 -> 0
    INDArray q = FakeQuantOps.fakeQuantize(w(), 3, false);
    assertArrayEquals(new double[] {2.0 / 3, -1.0, 1.0 / 3, 0.0}, q.dup('c').data().asDouble(), TOL);
  }

  @Test
  void perChannel_threeBits_handComputed() {
    // column 0: scale 0.5/3, 0.5 -> 3, 0.2/(1/6) = 1.2 -> 1; column 1: scale 1/3, -1 -> -3, 0.1*3 = 0.3 -> 0
    INDArray q = FakeQuantOps.fakeQuantize(w(), 3, true);
    assertArrayEquals(new double[] {0.5, -1.0, 1.0 / 6, 0.0}, q.dup('c').data().asDouble(), TOL);
  }

  @Test
  void twoBits_isTernary_andZerosStayZero() {
    INDArray z = Nd4j.zeros(DataType.DOUBLE, 3, 2);
    assertEquals(0.0, FakeQuantOps.fakeQuantize(z, 2, true).sumNumber().doubleValue(), 0.0);
    INDArray q = FakeQuantOps.fakeQuantize(Nd4j.rand(DataType.DOUBLE, 20, 4).subi(0.5), 2, false);
    long distinct = Arrays.stream(q.dup('c').data().asDouble()).map(v -> Math.round(v * 1e9) / 1e9).distinct().count();
    assertTrue(distinct <= 3, "ternary grid, got " + distinct + " levels");
  }

  @Test
  void bits_outOfRange_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FakeQuantWeights(1, false));
    assertEquals("bits must be in [2, 16], got 1", e.getMessage());
  }

  private static MultiLayerConfiguration fp() {
    return PolicyNetworks.factorized(4, 2, 5, List.of(8), new Adam(1e-2), 7, DataType.DOUBLE);
  }

  private static DataSet batch() {
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 16, 4).subi(0.5);
    INDArray y = Nd4j.create(new double[] {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4,
        0, 1}, new long[] {16, 2}, 'c');
    return new DataSet(x, y);
  }

  @Test
  void qatNetwork_forwardAndGradient_equalFloatNetworkAtQuantizedWeights() {
    MultiLayerNetwork qat = new MultiLayerNetwork(Quantization.withFakeQuant(fp(), 4, true));
    qat.init();
    MultiLayerNetwork atWq = Quantization.postTraining(qat, 4, true);
    atWq.getLayerWiseConfigurations().getConfs().forEach(c -> ((org.deeplearning4j.nn.conf.layers.BaseLayer) c.getLayer()).setWeightNoise(null));
    DataSet ds = batch();
    assertArrayEquals(atWq.output(ds.getFeatures()).dup().data().asDouble(), qat.output(ds.getFeatures()).dup().data().asDouble(), 1e-12);

    qat.setInput(ds.getFeatures());
    qat.setLabels(ds.getLabels());
    qat.computeGradientAndScore();
    atWq.setInput(ds.getFeatures());
    atWq.setLabels(ds.getLabels());
    atWq.computeGradientAndScore();
    // straight-through estimator: the float weights receive the gradient evaluated at the quantized weights
    assertArrayEquals(atWq.gradient().gradient().dup().data().asDouble(), qat.gradient().gradient().dup().data().asDouble(), 1e-12);
    assertEquals(atWq.score(), qat.score(), 1e-12);
  }

  @Test
  void qatTraining_keepsFloatWeights_andLowersLoss() {
    MultiLayerNetwork qat = new MultiLayerNetwork(Quantization.withFakeQuant(fp(), 3, false));
    qat.init();
    DataSet ds = batch();
    double before = qat.score(ds);
    for (int i = 0; i < 200; i++) {
      qat.fit(ds);
    }
    assertTrue(qat.score(ds) < before * 0.7, "loss " + before + " -> " + qat.score(ds));
    INDArray w = qat.getLayer(0).getParam("W");
    assertNotEquals(w, FakeQuantOps.fakeQuantize(w, 3, false), "stored weights stay in float");
  }

  @Test
  void postTraining_usesAtMostTwoToTheBitsMinusOneLevelsPerChannel() {
    MultiLayerNetwork net = new MultiLayerNetwork(fp());
    net.init();
    MultiLayerNetwork ptq = Quantization.postTraining(net, 3, true);
    INDArray w = ptq.getLayer(1).getParam("W");
    for (int c = 0; c < w.columns(); c++) {
      long levels = Arrays.stream(w.getColumn(c).dup().data().asDouble()).map(v -> Math.round(v * 1e9) / 1e9).distinct().count();
      assertTrue(levels <= 7, "column " + c + " has " + levels + " levels");
    }
    assertArrayEquals(net.getLayer(1).getParam("b").dup().data().asDouble(), ptq.getLayer(1).getParam("b").dup().data().asDouble(), 0.0);
  }

  @Test
  void config_jsonRoundTrip_keepsFakeQuant() {
    MultiLayerConfiguration conf = Quantization.withFakeQuant(fp(), 4, true);
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
    assertEquals(conf, back);
    assertTrue(conf.toJson().contains("FakeQuantWeights"));
  }

  @Test
  void modelSerializer_roundTrip_sameOutputs() throws IOException {
    MultiLayerNetwork qat = new MultiLayerNetwork(Quantization.withFakeQuant(fp(), 4, false));
    qat.init();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(qat, bytes, true);
    MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
    INDArray x = batch().getFeatures();
    assertArrayEquals(qat.output(x).dup().data().asDouble(), back.output(x).dup().data().asDouble(), 1e-12);
  }
}
