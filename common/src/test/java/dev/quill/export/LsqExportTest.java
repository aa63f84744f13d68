package dev.quill.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.quill.nn.qat.LsqActivation;
import dev.quill.nn.qat.LsqOps;
import dev.quill.nn.qat.Quantization;
import dev.quill.policy.Policy;
import dev.quill.runtime.ActivationQuantizer;
import dev.quill.runtime.ArtifactFormat;
import dev.quill.runtime.DenseLayer;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.PolicyRunner;
import dev.quill.runtime.WeightFormat;
import dev.quill.train.ExampleBlock;
import dev.quill.train.ExampleEncoder;
import dev.quill.train.LocalTrainer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LSQ activation quantization (W4A4 students, {@code qat.activationBits = 4}) through the exporter, the runtime
 * (format version 2) and ONNX, against the DL4J LSQ network on held-out reach states.
 */
class LsqExportTest {
  private static ExportFixtures.Demos demos;
  private static Policy student;
  private static double[][] heldout;

  /** A W4A4 student as {@code quill qat} builds it: fake-quantized weights, LSQ after each hidden layer, fine-tuned. */
  @BeforeAll
  static void trainStudent() {
    demos = ExportFixtures.reachDemos(80, 30);
    Policy teacher = ExportFixtures.train(demos, 64, List.of(64, 64), 5);
    MultiLayerNetwork net = new MultiLayerNetwork(Quantization.withActivationQuant(
        Quantization.withFakeQuant(teacher.network().getLayerWiseConfigurations(), 4, true), 4));
    net.init();
    Quantization.copyParams(teacher.network(), net);
    int sd = demos.task().stateDim();
    int n = demos.trainStates().size();
    float[] flat = new float[n * sd];
    for (int i = 0; i < n; i++) {
      teacher.stats().state().normalize(demos.trainStates().get(i), flat, i * sd);
    }
    Quantization.calibrateSteps(net, Nd4j.create(flat, new long[] {n, sd}, 'c'));
    ExampleEncoder enc = new ExampleEncoder(teacher.stats(), teacher.tokenizer());
    ExampleBlock block = ExampleBlock.allocate(n, sd, demos.task().actionDim());
    for (int i = 0; i < n; i++) {
      enc.encode(demos.trainStates().get(i), demos.trainActions().get(i), block, i);
    }
    LocalTrainer.fit(net, block, 64, 2, 11, null, null);
    student = new Policy(net, teacher.tokenizer(), teacher.stats(), teacher.info());
    heldout = demos.heldout().toArray(new double[0][]);
  }

  @Test
  void apply_randomAndHalfwayValues_bitIdenticalToLsqOpsForward() {
    SplittableRandom rng = new SplittableRandom(5);
    int n = 20_000;
    float[] v = new float[n];
    for (int k = 0; k < n; k++) {
      // Gaussian values, and exact multiples of s / 2 (ties of the rounding) in the second half
      v[k] = k < n / 2 ? (float) (rng.nextGaussian() * 3) : (k - 3 * n / 4) * 0.5f * 0.25f;
    }
    int[][] grids = {{4, 0}, {4, 1}, {8, 0}, {8, 1}, {3, 1}, {2, 0}};
    for (int[] grid : grids) {
      for (float s : new float[] {0.25f, 0.0371f, 1.7f}) {
        boolean signed = grid[1] == 1;
        float[] expected = LsqOps.forward(Nd4j.create(v, new long[] {1, n}, 'c'), s, grid[0], signed).data().asFloat();
        float[] got = v.clone();
        new ActivationQuantizer(grid[0], signed, s).apply(got, n);
        for (int k = 0; k < n; k++) {
          assertEquals(Float.floatToIntBits(expected[k] + 0f), Float.floatToIntBits(got[k] + 0f),
              "bits " + grid[0] + (signed ? " signed" : " unsigned") + ", s " + s + ", v " + v[k] + ": " + expected[k] + " vs " + got[k]);
        }
      }
    }
  }

  @Test
  void export_w4a4Student_version2WithQuantizersAndSameTokensOn999Permille() {
    PolicyModel m = PolicyExporter.export(student, new ExportOptions("auto", true));
    assertEquals(2, m.trunk().size());
    for (int l = 0; l < 2; l++) {
      DenseLayer layer = m.trunk().get(l);
      assertEquals(WeightFormat.INT4, layer.format());
      float s = student.network().getLayer(2 * l + 1).getParam(LsqActivation.STEP_KEY).getFloat(0);
      assertEquals(s, layer.quantizer().step(), 0f, "step of hidden layer " + l);
      assertEquals(4, layer.quantizer().bits());
      assertEquals(false, layer.quantizer().signed());
    }
    assertTrue(m.metadata().contains("\"activationBits\" : 4"), m.metadata());
    byte[] bytes = ArtifactFormat.toBytes(m);
    assertEquals(2, ByteBuffer.wrap(bytes).getInt(8));
    PolicyModel back = ArtifactFormat.fromBytes(bytes, "w4a4.qpol");
    float[][] logits = student.logits(heldout);
    int[][] tokens = student.tokens(heldout);
    PolicyRunner r = back.newRunner();
    PolicyRunner unquantized = new PolicyModel(m.metadata(), m.normalizer(),
        m.trunk().stream().map(l -> l.withQuantizer(null)).toList(), m.head(), m.decoder()).newRunner();
    int same = 0;
    int close = 0;
    int changed = 0;
    double worst = 0;
    for (int i = 0; i < heldout.length; i++) {
      unquantized.forward(heldout[i]);
      r.forward(heldout[i]);
      changed += OnnxExportTest.relative(unquantized.logits(), r.logits()) > 1e-3 ? 1 : 0;
      same += Arrays.equals(tokens[i], r.tokens()) ? 1 : 0;
      double rel = OnnxExportTest.relative(r.logits(), logits[i]);
      worst = Math.max(worst, rel);
      close += rel <= 1e-4 ? 1 : 0;
    }
    System.out.printf("export W4A4 (LSQ) vs DL4J: same tokens on %d of %d, logits within 1e-4 relative on %d, worst %.3g;"
        + " quantizers change the logits (> 1e-3) on %d%n", same, heldout.length, close, worst, changed);
    assertTrue(changed >= heldout.length / 2, "activation quantization changed the logits of only " + changed + " states");
    assertTrue(heldout.length > 1000, "held-out states: " + heldout.length);
    assertTrue(same >= 0.999 * heldout.length, "same tokens on " + same + " of " + heldout.length);
    assertTrue(close >= 0.999 * heldout.length, "logits within 1e-4 relative on " + close + " of " + heldout.length);
  }

  @Test
  void onnx_w4a4Student_qdqActivationsAgreeWithRuntime() throws OrtException {
    PolicyModel m = PolicyExporter.export(student, new ExportOptions("auto", true));
    byte[] onnx = OnnxExporter.toOnnx(m);
    List<String> ops = OnnxExportTest.parse(onnx).getGraph().getNodeList().stream().map(n -> n.getOpType()).toList();
    assertEquals(2, ops.stream().filter("QuantizeLinear"::equals).count(), ops.toString());
    assertEquals(2, ops.stream().filter("Clip"::equals).count(), ops.toString());
    assertEquals(5, ops.stream().filter("DequantizeLinear"::equals).count(), ops.toString());
    OnnxExportTest.Outputs ort = OnnxExportTest.runOrt(onnx, heldout);
    PolicyRunner r = m.newRunner();
    int same = 0;
    int close = 0;
    double worst = 0;
    for (int i = 0; i < heldout.length; i++) {
      r.forward(heldout[i]);
      boolean eq = true;
      for (int j = 0; j < r.tokens().length; j++) {
        eq &= r.tokens()[j] == ort.tokens()[i][j];
      }
      same += eq ? 1 : 0;
      double rel = OnnxExportTest.relative(ort.logits()[i], r.logits());
      worst = Math.max(worst, rel);
      close += rel <= 1e-4 ? 1 : 0;
    }
    System.out.printf("ONNX QDQ W4A4 vs runtime: same tokens on %d of %d, logits within 1e-4 relative on %d, worst %.3g%n",
        same, heldout.length, close, worst);
    assertTrue(same >= 0.999 * heldout.length, "same tokens on " + same + " of " + heldout.length);
    assertTrue(close >= 0.999 * heldout.length, "logits within 1e-4 relative on " + close + " of " + heldout.length);
  }

  @Test
  void onnx_sixteenBitActivations_refusedNamingLayer() {
    PolicyModel m = PolicyExporter.export(student, new ExportOptions("auto", true));
    List<DenseLayer> trunk = List.of(m.trunk().get(0).withQuantizer(new ActivationQuantizer(16, false, 0.01f)), m.trunk().get(1));
    PolicyModel wide = new PolicyModel(m.metadata(), m.normalizer(), trunk, m.head(), m.decoder());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.toOnnx(wide));
    assertEquals("ONNX export: layer 0 quantizes activations to 16 bits; QuantizeLinear at opset 13 holds at most 8", e.getMessage());
  }

  @Test
  void export_lsqLayerAfterAnotherLsqLayer_refusedNamingLayer() {
    // layers: dense, LSQ (new), LSQ (the student's), dense, LSQ, LSQ, output
    MultiLayerNetwork twice = new MultiLayerNetwork(Quantization.withActivationQuant(
        student.network().getLayerWiseConfigurations(), 4));
    twice.init();
    Policy p = new Policy(twice, student.tokenizer(), student.stats(), student.info());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PolicyExporter.export(p, new ExportOptions("auto", true)));
    assertTrue(e.getMessage().startsWith("layer 2 (LsqActivationLayer): an LSQ activation layer must directly follow"),
        e.getMessage());
  }
}
