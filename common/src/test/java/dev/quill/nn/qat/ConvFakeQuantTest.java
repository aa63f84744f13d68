package dev.quill.nn.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.task.image.ImageShape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/** Fake quantization of convolution kernels and the convolutional policy network. */
class ConvFakeQuantTest {
  private static final ImageShape IMAGE = new ImageShape(2, 6, 6);

  private static MultiLayerConfiguration fp() {
    return PolicyNetworks.conv(IMAGE, 2, 3, List.of(3, 4), List.of(8), new Adam(1e-2), 7, DataType.DOUBLE);
  }

  private static MultiLayerConfiguration fpNoUpdater() {
    return PolicyNetworks.conv(IMAGE, 2, 3, List.of(3, 4), List.of(8), new NoOp(), 7, DataType.DOUBLE);
  }

  private static DataSet batch() {
    Nd4j.getRandom().setSeed(11);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 5, IMAGE.size());
    INDArray y = Nd4j.create(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, new long[] {5, 2}, 'c');
    return new DataSet(x, y);
  }

  private static INDArray kernel() {
    // [nOut = 2, nIn = 1, kH = 1, kW = 2]: channel 0 = (0.5, 0.2), channel 1 = (-1.0, 0.1)
    return Nd4j.create(new double[] {0.5, 0.2, -1.0, 0.1}, new long[] {2, 1, 1, 2}, 'c');
  }

  @Test
  void kernel_perOutputChannel_threeBits_handComputed() {
    // channel 0: scale 0.5/3, 0.2 * 6 = 1.2 -> 1 -> 1/6; channel 1: scale 1/3, 0.1 * 3 = 0.3 -> 0
    INDArray q = FakeQuantOps.fakeQuantize(kernel(), 3, true);
    assertArrayEquals(new long[] {2, 1, 1, 2}, q.shape());
    assertArrayEquals(new double[] {0.5, 1.0 / 6, -1.0, 0.0}, q.dup('c').data().asDouble(), 1e-12);
  }

  @Test
  void kernel_perTensor_threeBits_handComputed() {
    // scale 1/3: 0.5 -> 1.5 -> 2, 0.2 -> 0.6 -> 1, -1 -> -3, 0.1 -> 0.3 -> 0
    INDArray q = FakeQuantOps.fakeQuantize(kernel(), 3, false);
    assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3, -1.0, 0.0}, q.dup('c').data().asDouble(), 1e-12);
  }

  @Test
  void conv_floatNetwork_passesGradientCheck() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerNetwork net = new MultiLayerNetwork(fpNoUpdater());
      net.init();
      DataSet ds = batch();
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(ds.getFeatures())
          .labels(ds.getLabels()).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)), "gradient check failed");
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void convQat_forwardAndGradient_equalFloatNetworkAtQuantizedKernels() {
    MultiLayerNetwork qat = new MultiLayerNetwork(Quantization.withFakeQuant(fp(), 3, true));
    qat.init();
    assertTrue(qat.getLayerWiseConfigurations().getConf(0).getLayer() instanceof ConvolutionLayer);
    MultiLayerNetwork atWq = Quantization.postTraining(qat, 3, true);
    atWq.getLayerWiseConfigurations().getConfs().forEach(c -> ((BaseLayer) c.getLayer()).setWeightNoise(null));
    assertNotEquals(qat.getLayer(0).getParam("W"), atWq.getLayer(0).getParam("W"), "PTQ rounds the kernels");
    DataSet ds = batch();
    assertArrayEquals(atWq.output(ds.getFeatures()).dup().data().asDouble(), qat.output(ds.getFeatures()).dup().data().asDouble(),
        1e-12);
    qat.setInput(ds.getFeatures());
    qat.setLabels(ds.getLabels());
    qat.computeGradientAndScore();
    atWq.setInput(ds.getFeatures());
    atWq.setLabels(ds.getLabels());
    atWq.computeGradientAndScore();
    assertArrayEquals(atWq.gradient().gradient().dup().data().asDouble(), qat.gradient().gradient().dup().data().asDouble(),
        1e-12);
  }

  @Test
  void convPtq_usesAtMostTwoToTheBitsMinusOneLevelsPerOutputChannel() {
    MultiLayerNetwork net = new MultiLayerNetwork(fp());
    net.init();
    INDArray w = Quantization.postTraining(net, 2, true).getLayer(1).getParam("W");
    assertEquals(4, w.rank());
    double[] flat = w.dup('c').data().asDouble();
    int perChannel = (int) (w.length() / w.size(0));
    for (int c = 0; c < w.size(0); c++) {
      long levels = Arrays.stream(Arrays.copyOfRange(flat, c * perChannel, (c + 1) * perChannel))
          .map(v -> Math.round(v * 1e9) / 1e9).distinct().count();
      assertTrue(levels <= 3, "output channel " + c + " has " + levels + " levels");
    }
  }

  @Test
  void convQat_jsonAndModelSerializerRoundTrips() throws IOException {
    MultiLayerConfiguration conf = Quantization.withFakeQuant(fp(), 4, true);
    assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
    MultiLayerNetwork qat = new MultiLayerNetwork(conf);
    qat.init();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(qat, bytes, true);
    MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
    INDArray x = batch().getFeatures();
    assertArrayEquals(qat.output(x).dup().data().asDouble(), back.output(x).dup().data().asDouble(), 1e-12);
  }

  @Test
  void forConfig_convWithoutImage_isRejectedNamingKey() {
    TrainConfig conv = new TrainConfig("factorized", List.of(8), 1, 16, 1e-3, 1, "auto", "greedy", 0L, "conv", List.of(4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PolicyNetworks.forConfig(7, null, 2, 3, conv, 1));
    assertTrue(e.getMessage().startsWith("train.network conv needs image observations"), e.getMessage());
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.forConfig(IMAGE.size(), IMAGE, 2, 3, conv, 1));
    net.init();
    assertArrayEquals(new long[] {5, 6}, net.output(batch().getFeatures().castTo(DataType.FLOAT)).shape());
  }
}
