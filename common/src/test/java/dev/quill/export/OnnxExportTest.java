package dev.quill.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quill.policy.Policy;
import dev.quill.runtime.PolicyModel;
import dev.quill.runtime.PolicyRunner;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exported ONNX files run in ONNX Runtime (Java API) and agree with Quill on held-out reach states. */
class OnnxExportTest {
  private static Policy policy;
  private static double[][] heldout;

  @BeforeAll
  static void trainPolicy() {
    ExportFixtures.Demos demos = ExportFixtures.reachDemos(60, 20);
    policy = ExportFixtures.train(demos, 64, List.of(64, 64), 4);
    heldout = demos.heldout().toArray(new double[0][]);
  }

  @Test
  void onnx_fp32_logitsWithin1e4RelativeOfDl4jAndSameTokens() throws OrtException {
    PolicyModel m = PolicyExporter.export(policy, new ExportOptions("fp32", true));
    Outputs ort = runOrt(OnnxExporter.toOnnx(m), heldout);
    float[][] logits = policy.logits(heldout);
    int[][] tokens = policy.tokens(heldout);
    double worst = 0;
    for (int i = 0; i < heldout.length; i++) {
      worst = Math.max(worst, relative(ort.logits()[i], logits[i]));
      for (int j = 0; j < tokens[i].length; j++) {
        assertEquals(tokens[i][j], ort.tokens()[i][j], "state " + i + " head " + j);
      }
    }
    System.out.printf("ONNX fp32 vs DL4J: largest relative logit difference %.3g on %d states%n", worst, heldout.length);
    assertTrue(worst <= 1e-4, "largest relative logit difference " + worst);
  }

  @Test
  void onnx_qdqInt8PerChannel_agreesWithRuntimeInt8() throws OrtException {
    assertQdqAgrees(new ExportOptions("int8", true));
  }

  @Test
  void onnx_qdqInt4PerTensor_agreesWithRuntimeInt4() throws OrtException {
    assertQdqAgrees(new ExportOptions("int4", false));
  }

  private static void assertQdqAgrees(ExportOptions options) throws OrtException {
    PolicyModel m = PolicyExporter.export(policy, options);
    byte[] onnx = OnnxExporter.toOnnx(m);
    long dq = parse(onnx).getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("DequantizeLinear")).count();
    assertEquals(3, dq, "one DequantizeLinear per weight matrix");
    Outputs ort = runOrt(onnx, heldout);
    PolicyRunner r = m.newRunner();
    int same = 0;
    double worst = 0;
    for (int i = 0; i < heldout.length; i++) {
      r.forward(heldout[i]);
      worst = Math.max(worst, relative(ort.logits()[i], r.logits()));
      boolean eq = true;
      for (int j = 0; j < r.tokens().length; j++) {
        eq &= r.tokens()[j] == ort.tokens()[i][j];
      }
      same += eq ? 1 : 0;
    }
    System.out.printf("ONNX QDQ %s vs runtime: same tokens on %d of %d, largest relative logit difference %.3g%n",
        options.weights(), same, heldout.length, worst);
    assertTrue(same >= 0.999 * heldout.length, same + " of " + heldout.length);
    assertTrue(worst <= 1e-4, "largest relative logit difference " + worst);
  }

  static Onnx.ModelProto parse(byte[] bytes) {
    try {
      return Onnx.ModelProto.parseFrom(bytes);
    } catch (org.nd4j.shade.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Largest {@code |a - b|} relative to the largest {@code |b|}. */
  static double relative(float[] a, float[] b) {
    float max = 1e-6f;
    for (float v : b) {
      max = Math.max(max, Math.abs(v));
    }
    double worst = 0;
    for (int k = 0; k < b.length; k++) {
      worst = Math.max(worst, Math.abs(a[k] - b[k]) / max);
    }
    return worst;
  }

  /** ONNX Runtime's outputs for a batch of states. */
  record Outputs(float[][] logits, long[][] tokens) {}

  /** Runs {@code onnx} in ONNX Runtime (one thread) on {@code states} as one batch. */
  static Outputs runOrt(byte[] onnx, double[][] states) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int s = states[0].length;
    float[] flat = new float[states.length * s];
    for (int i = 0; i < states.length; i++) {
      for (int j = 0; j < s; j++) {
        flat[i * s + j] = (float) states[i][j];
      }
    }
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx, so);
          OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {states.length, s});
          OrtSession.Result result = session.run(Map.of("state", input))) {
        return new Outputs((float[][]) result.get("logits").orElseThrow().getValue(),
            (long[][]) result.get("tokens").orElseThrow().getValue());
      }
    }
  }
}
