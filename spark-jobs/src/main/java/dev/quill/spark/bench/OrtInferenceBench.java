package dev.quill.spark.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quill.export.ExportOptions;
import dev.quill.export.InferenceBench;
import dev.quill.export.OnnxExporter;
import dev.quill.export.PolicyExporter;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ONNX Runtime rows of {@code quill bench-inference}: the policy exported to ONNX fp32 and QDQ int8
 * ({@link OnnxExporter}), run by ONNX Runtime's Java API with one intra-op thread (ORT's default graph
 * optimizations, which fuse QDQ into integer kernels where it can). A call builds the input tensor and runs the
 * session; outputs are the logits and the tokens.
 */
public final class OrtInferenceBench {
  private OrtInferenceBench() {}

  /** Rows for ONNX fp32 and QDQ int8 of the benchmarked policy. */
  public static List<InferenceBench.Row> run(InferenceBench.Options o) throws IOException, OrtException {
    Policy policy = PolicyFiles.load(InferenceBench.policyDir(o));
    double[][] states = InferenceBench.states(policy, 1024);
    int s = states[0].length;
    float[][] single = new float[1024][s];
    float[] batch = new float[256 * s];
    for (int i = 0; i < 1024; i++) {
      for (int j = 0; j < s; j++) {
        single[i][j] = (float) states[i][j];
        if (i < 256) {
          batch[i * s + j] = (float) states[i][j];
        }
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<InferenceBench.Row> rows = new ArrayList<>();
    for (String w : List.of("fp32", "int8")) {
      byte[] onnx = OnnxExporter.toOnnx(PolicyExporter.export(policy, new ExportOptions(w, true)));
      Path file = o.workDir().resolve("policy-" + w + ".onnx");
      Files.write(file, onnx);
      try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
        so.setIntraOpNumThreads(1);
        so.setInterOpNumThreads(1);
        try (OrtSession session = env.createSession(onnx, so)) {
          double[] lat = InferenceBench.latency(o.iterations(), i -> run(env, session, single[i & 1023], 1, s));
          double rate = InferenceBench.throughput(o.iterations(), () -> run(env, session, batch, 256, s));
          rows.add(new InferenceBench.Row("ONNX Runtime " + ("fp32".equals(w) ? "fp32" : "QDQ int8") + " (1 thread)",
              lat[0], lat[1], rate, Files.size(file)));
        }
      }
    }
    return rows;
  }

  private static void run(OrtEnvironment env, OrtSession session, float[] x, int n, int s) {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, s});
        OrtSession.Result r = session.run(Map.of("state", t))) {
      if (r.size() == 0) {
        throw new IllegalStateException("ONNX Runtime returned no outputs");
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }
}
