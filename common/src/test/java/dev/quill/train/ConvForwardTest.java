package dev.quill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.nn.qat.Quantization;
import dev.quill.policy.PolicyNetworks;
import dev.quill.task.image.ImageShape;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class ConvForwardTest {
  @Test
  void output_300States_matchesDl4jOutput() {
    ImageShape image = new ImageShape(3, 10, 9);
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.conv(image, 2, 6, List.of(5, 7), List.of(11),
        new Adam(1e-3), 4, DataType.FLOAT));
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

  @Test
  void of_qatNetwork_isEmpty() {
    MultiLayerNetwork qat = new MultiLayerNetwork(Quantization.withFakeQuant(PolicyNetworks.conv(new ImageShape(1, 4, 4),
        1, 3, List.of(2), List.of(4), new Adam(1e-3), 1, DataType.FLOAT), 4, true));
    qat.init();
    assertTrue(ConvForward.of(qat).isEmpty());
  }
}
