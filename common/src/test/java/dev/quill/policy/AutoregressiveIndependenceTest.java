package dev.quill.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quill.train.ExampleBlock;
import dev.quill.train.TeacherForcing;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The required check: when the expert's action dimensions are independent given the state, the
 * autoregressive head's conditionals {@code p(y_1 | s, y_0 = k)} equal, for every k, the factorized head's
 * marginal {@code p(y_1 | s)} (and both the true distribution), within 0.05 in every probability (and the true distribution within 0.08:
 * 12,000 examples leave about ±0.03 of sampling noise on the rarer (s, y0) combinations).
 */
class AutoregressiveIndependenceTest {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AutoregressiveIndependenceTest.class);
  private static final int B = 4;
  private static final double[][] P0 = {{0.7, 0.1, 0.1, 0.1}, {0.1, 0.1, 0.1, 0.7}};
  private static final double[][] P1 = {{0.4, 0.3, 0.2, 0.1}, {0.1, 0.2, 0.3, 0.4}};

  @Test
  void autoregressive_independentDimensions_conditionalsMatchFactorizedMarginals() {
    int n = 12000;
    SplittableRandom rng = new SplittableRandom(17);
    ExampleBlock block = ExampleBlock.allocate(n, 2, 2);
    for (int i = 0; i < n; i++) {
      float s0 = (float) (rng.nextDouble() * 2 - 1);
      float s1 = (float) (rng.nextDouble() * 2 - 1);
      block.states()[2 * i] = s0;
      block.states()[2 * i + 1] = s1;
      block.tokens()[2 * i] = draw(P0[s0 > 0 ? 0 : 1], rng);
      block.tokens()[2 * i + 1] = draw(P1[s1 > 0 ? 0 : 1], rng);
    }
    ComputationGraph ar = new ComputationGraph(PolicyNetworks.autoregressive(2, 2, B, List.of(16), new Adam(5e-3), 5,
        DataType.FLOAT));
    ar.init();
    MultiLayerNetwork fac = new MultiLayerNetwork(PolicyNetworks.factorized(2, 2, B, List.of(16), new Adam(5e-3), 5,
        DataType.FLOAT));
    fac.init();
    for (int epoch = 0; epoch < 8; epoch++) {
      for (DataSet batch : block.toMinibatches(100, (long) epoch)) {
        fac.fit(batch);
        ar.fit(TeacherForcing.toMultiDataSet(batch, B));
      }
    }
    double maxVsMarginal = 0;
    double maxVsTruth = 0;
    double[][] probes = {{0.6, 0.6}, {0.6, -0.6}, {-0.6, 0.6}, {-0.6, -0.6}};
    for (double[] s : probes) {
      INDArray x = Nd4j.create(new float[] {(float) s[0], (float) s[1]}, new long[] {1, 2}, 'c');
      double[] marginal = softmax(fac.output(x).dup('c').data().asFloat(), B);
      double[] truth = P1[s[1] > 0 ? 0 : 1];
      for (int k = 0; k < B; k++) {
        float[] prev = new float[2 * B];
        prev[k] = 1f;
        float[] z = ar.outputSingle(false, x, Nd4j.create(prev, new long[] {1, 2 * B}, 'c')).dup('c').data().asFloat();
        double[] conditional = softmax(z, B);
        for (int t = 0; t < B; t++) {
          maxVsMarginal = Math.max(maxVsMarginal, Math.abs(marginal[t] - conditional[t]));
          maxVsTruth = Math.max(maxVsTruth, Math.abs(truth[t] - conditional[t]));
        }
      }
    }
    LOG.info(String.format(java.util.Locale.ROOT,
        "AR vs factorized: max |p_AR(y1|s,y0) - p_fac(y1|s)| = %.4f, vs truth %.4f",
        maxVsMarginal, maxVsTruth));
    assertEquals(0, maxVsMarginal, 0.05, "max |AR conditional - factorized marginal|");
    assertEquals(0, maxVsTruth, 0.08, "max |AR conditional - true distribution|");
  }

  private static int draw(double[] p, SplittableRandom rng) {
    double u = rng.nextDouble();
    double c = 0;
    for (int t = 0; t < p.length; t++) {
      c += p[t];
      if (u < c) {
        return t;
      }
    }
    return p.length - 1;
  }

  /** Softmax of the second group of {@code b} logits. */
  private static double[] softmax(float[] z, int b) {
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < b; t++) {
      max = Math.max(max, z[b + t]);
    }
    double[] p = new double[b];
    double sum = 0;
    for (int t = 0; t < b; t++) {
      p[t] = Math.exp(z[b + t] - max);
      sum += p[t];
    }
    for (int t = 0; t < b; t++) {
      p[t] /= sum;
    }
    return p;
  }
}
