package dev.quill.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.nn.qat.Quantization;
import dev.quill.policy.Policy;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.PolicyRunner;
import dev.quill.runtime.WeightFormat;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runtime vs DL4J on held-out reach states (the equivalence requirements). */
class PolicyExporterTest {
  private static ExportFixtures.Demos demos;
  private static Policy policy;
  private static double[][] heldout;

  @BeforeAll
  static void trainPolicy() {
    demos = ExportFixtures.reachDemos(80, 30);
    policy = ExportFixtures.train(demos, 64, List.of(64, 64), 6);
    heldout = demos.heldout().toArray(new double[0][]);
  }

  @Test
  void export_fp32_logitsWithin1e4RelativeAndSameTokensOnAllHeldOutStates() {
    PolicyRunner r = PolicyExporter.export(policy, new ExportOptions("fp32", true)).newRunner();
    float[][] logits = policy.logits(heldout);
    int[][] tokens = policy.tokens(heldout);
    double worst = 0;
    for (int i = 0; i < heldout.length; i++) {
      r.forward(heldout[i]);
      float max = 0;
      for (float v : logits[i]) {
        max = Math.max(max, Math.abs(v));
      }
      for (int k = 0; k < logits[i].length; k++) {
        worst = Math.max(worst, Math.abs(r.logits()[k] - logits[i][k]) / Math.max(max, 1e-6f));
      }
      assertEquals(List.of(box(tokens[i])), List.of(box(r.tokens())), "tokens of held-out state " + i);
    }
    System.out.printf("export fp32: largest relative logit difference %.3g over %d held-out states%n", worst, heldout.length);
    assertTrue(worst <= 1e-4, "largest relative logit difference " + worst);
    assertTrue(heldout.length > 1000, "held-out states: " + heldout.length);
  }

  @Test
  void export_int8PerChannel_sameTokensAsPtqNetworkOn999Permille() {
    assertAgreement(PolicyExporter.export(policy, new ExportOptions("int8", true)),
        Quantization.postTraining(policy.network(), 8, true), WeightFormat.INT8);
  }

  @Test
  void export_int4PerTensor_sameTokensAsPtqNetworkOn999Permille() {
    assertAgreement(PolicyExporter.export(policy, new ExportOptions("int4", false)),
        Quantization.postTraining(policy.network(), 4, false), WeightFormat.INT4);
  }

  @Test
  void export_autoOfW4QatStudent_int4LayersSameTokensAsFakeQuantNetwork() {
    MultiLayerNetwork student = new MultiLayerNetwork(
        Quantization.withFakeQuant(policy.network().getLayerWiseConfigurations(), 4, true));
    student.init(policy.network().params().dup(), false);
    Policy s = new Policy(student, policy.tokenizer(), policy.stats(), policy.info());
    PolicyModel m = PolicyExporter.export(s, new ExportOptions("auto", false));
    assertTrue(m.metadata().contains("\"trainedBits\" : 4"), m.metadata());
    assertAgreement(m, student, WeightFormat.INT4);
  }

  @Test
  void export_int4OfW8Student_refusedNamingLayer() {
    MultiLayerNetwork student = new MultiLayerNetwork(
        Quantization.withFakeQuant(policy.network().getLayerWiseConfigurations(), 8, true));
    student.init(policy.network().params().dup(), false);
    Policy s = new Policy(student, policy.tokenizer(), policy.stats(), policy.info());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PolicyExporter.export(s, new ExportOptions("int4", true)));
    assertEquals("layer 0 (DenseLayer) was trained with 8-bit weights; storing them as int4 would change them "
        + "(export with --weights auto, int8 or fp32)", e.getMessage());
  }

  private static void assertAgreement(PolicyModel model, MultiLayerNetwork reference, WeightFormat expected) {
    model.trunk().forEach(l -> assertEquals(expected, l.format()));
    Policy ref = new Policy(reference, policy.tokenizer(), policy.stats(), policy.info());
    int[][] tokens = ref.tokens(heldout);
    PolicyRunner r = model.newRunner();
    int same = 0;
    double[] action = new double[model.actionDim()];
    for (int i = 0; i < heldout.length; i++) {
      r.act(heldout[i], action);
      if (java.util.Arrays.equals(tokens[i], r.tokens())) {
        same++;
      }
    }
    double agreement = same / (double) heldout.length;
    System.out.printf("export %s: same tokens on %d of %d held-out states (%.4f)%n", expected, same, heldout.length, agreement);
    assertTrue(agreement >= 0.999, "same tokens on " + same + " of " + heldout.length + " held-out states");
  }

  private static Integer[] box(int[] v) {
    Integer[] b = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i];
    }
    return b;
  }
}
