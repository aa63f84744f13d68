package dev.quill.spark.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureStats;
import dev.quill.loss.DistilledTokenCrossEntropy;
import dev.quill.nn.qat.FakeQuantWeights;
import dev.quill.nn.qat.QatConfig;
import dev.quill.nn.qat.Quantization;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyInfo;
import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.uniform.UniformBinTokenizer;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class QatJobTest {

  private static Policy teacher() {
    TrainConfig tc = TrainConfig.mlp("factorized", List.of(8), 1, 16, 1e-3, 1, "auto");
    MultiLayerNetwork net = new MultiLayerNetwork(PolicyNetworks.factorized(3, 2, 5, tc, 4));
    net.init();
    double[] z = {0, 0, 0};
    double[] one = {1, 1, 1};
    FeatureStats s = new FeatureStats(z, one, z, one, z, one, 10);
    FeatureStats a = new FeatureStats(new double[2], new double[] {1, 1}, new double[] {-1, -1}, new double[] {1, 1},
        new double[] {-1, -1}, new double[] {1, 1}, 10);
    PolicyInfo info = new PolicyInfo(PolicyInfo.FORMAT, 1, "factorized", "linear", 3, 2, List.of("a", "b", "c"),
        List.of("u", "v"), tc, 4, 1, Double.NaN);
    return new Policy(net, new UniformBinTokenizer(5, new double[] {-1, -1}, new double[] {1, 1}), new DatasetStats(s, a), info);
  }

  @Test
  void studentConf_fakeQuantizesEveryLayer_distillsAtTheOutput_andStartsAtTheTeachersPtqOutputs() {
    Policy teacher = teacher();
    QatConfig q = new QatConfig(4, true, List.of("sqil"), 1, 1e-4, 0, "logitMse");
    MultiLayerConfiguration conf = QatJob.studentConf(teacher, q);
    conf.getConfs().forEach(c -> assertEquals(new FakeQuantWeights(4, true), ((BaseLayer) c.getLayer()).getWeightNoise()));
    assertEquals(new DistilledTokenCrossEntropy(2, 5),
        ((BaseOutputLayer) conf.getConfs().get(conf.getConfs().size() - 1).getLayer()).getLossFn());
    assertTrue(teacher.network().getLayerWiseConfigurations().toJson().contains("FactorizedTokenCrossEntropy"),
        "the teacher's configuration is not modified");

    MultiLayerNetwork student = new MultiLayerNetwork(conf);
    student.init();
    student.setParams(teacher.network().params().dup());
    INDArray x = Nd4j.rand(4, 3);
    MultiLayerNetwork ptq = Quantization.postTraining(teacher.network(), 4, true);
    assertArrayEquals(ptq.output(x).dup().data().asFloat(), student.output(x).dup().data().asFloat(), 1e-5f);
  }

  @Test
  void alpha_perMethod() {
    assertEquals(0.0, StudentExamples.alpha("qat", 9, 1, 2));
    assertEquals(1.0, StudentExamples.alpha("qbc", 9, 1, 2));
    assertEquals(2.0, StudentExamples.alpha("sqil", 9, 1, 2));
    assertEquals(1.0, StudentExamples.alpha("sqil", 0.5, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> StudentExamples.alpha("ptq", 0, 1, 2));
  }

  @Test
  void studentConf_w4a4_insertsLsqAfterTheHiddenLayer_withTheConfiguredDistance() {
    Policy teacher = teacher();
    QatConfig q = new QatConfig(4, true, List.of("sqil"), 1, 1e-4, 4, "kl");
    MultiLayerConfiguration conf = QatJob.studentConf(teacher, q);
    assertEquals(3, conf.getConfs().size());
    assertEquals(4, ((dev.quill.nn.qat.LsqActivation) conf.getConf(1).getLayer()).getBits());
    assertEquals("kl", ((dev.quill.loss.DistilledTokenCrossEntropy) ((BaseOutputLayer) conf.getConf(2).getLayer()).getLossFn())
        .distance());
    assertEquals("w4a4", QatJob.label(q));
    assertEquals("w2-pt", QatJob.label(q.withPrecision(2, 0, false)));
    MultiLayerNetwork student = new MultiLayerNetwork(conf);
    student.init();
    dev.quill.nn.qat.Quantization.copyParams(teacher.network(), student);
    assertEquals(teacher.network().getLayer(1).getParam("W"), student.getLayer(2).getParam("W"));
  }
}
