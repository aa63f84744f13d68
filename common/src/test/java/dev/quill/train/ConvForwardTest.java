package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.quill.nn.qat.Quantization;
import dev.quill.policy.PolicyNetworks;
import dev.quill.task.image.ImageShape;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class ConvForwardTest {
  private static void assertMatchesDl4jOutput(MultiLayerConfiguration conf, ImageShape image) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    SplittableRandom rng = new SplittableRandom(2);
    float[] x = new float[300 * image.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    INDArray states = Nd4j.create(x, new long[] {300, image.size()}, 'c');
    float[] expected = net.output(states, false).dup('c').data().asFloat();
    float[] actual = ConvForward.of(net).orElseThrow().output(states);
    assertArrayEquals(expected, actual, 1e-5f);
  }

  private static MultiLayerConfiguration conf(ImageShape image) {
    return PolicyNetworks.conv(image, 2, 6, List.of(5, 7), List.of(11), new Adam(1e-3), 4, DataType.FLOAT);
  }

  @Test
  void output_300States_matchesDl4jOutput() {
    assertMatchesDl4jOutput(conf(new ImageShape(3, 10, 9)), new ImageShape(3, 10, 9));
  }

  @Test
  void output_fakeQuantizedStudents_matchDl4jOutputWithQuantizedWeights() {
    // DL4J's output() quantizes through FakeQuantWeights in inference too; ConvForward must use the same weights.
    ImageShape image = new ImageShape(3, 10, 9);
    assertMatchesDl4jOutput(Quantization.withFakeQuant(conf(image), 2, false), image);
    assertMatchesDl4jOutput(Quantization.withFakeQuant(conf(image), 4, true), image);
  }
}
