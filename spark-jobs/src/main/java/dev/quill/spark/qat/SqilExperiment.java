package dev.quill.spark.qat;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.eval.EvalJob;
import dev.quill.spark.pipeline.PipelineJob;
import dev.quill.spark.saliency.SaliencyJob;
import dev.quill.util.AtomicFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code quill experiment sqil}: the PTQ / QAT / QBC / SQIL comparison of Park et al. (ICCV 2025) on a
 * built-in task. Trains the full-precision teacher with the pipeline when the run has none, scores
 * saliency, builds the students, and evaluates the teacher and every student closed-loop on the same
 * evaluation seeds; prints the table and writes {@code qat/results.csv}.
 */
public final class SqilExperiment {
  private SqilExperiment() {}

  /**
   * One row of the comparison.
   *
   * @param method fp, ptq, qat, qbc or sqil
   * @param bits weight bits (32 for fp)
   * @param eval its evaluation
   */
  public record Row(String method, int bits, EvalJob.Result eval) {}

  /** Runs the comparison in {@code layout}. */
  public static List<Row> run(SparkSession spark, QuillConfig config, RunLayout layout, String gitRevision) {
    if (!Files.isDirectory(layout.policy())) {
      PipelineJob.run(spark, config, layout, gitRevision);
    }
    SaliencyJob.run(spark, config, layout);
    List<QatJob.Student> students = QatJob.run(spark, config, layout);
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("fp", 32, EvalJob.run(spark, config, layout.policy(), layout.dataset(), layout.eval())));
    for (QatJob.Student s : students) {
      rows.add(new Row(s.method(), s.bits(),
          EvalJob.run(spark, config, s.policyDir(), layout.dataset(), s.policyDir().resolveSibling(s.policyDir().getFileName() + "-eval"))));
    }
    AtomicFiles.writeString(layout.qat().resolve("results.csv"), csv(rows));
    System.out.println(render(config, rows));
    return rows;
  }

  static String render(QuillConfig config, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%nSQIL comparison on %s: %d evaluation episodes, %s scales, top %.0f%% SIS weighted x%.1f%n%n",
        config.task().name(), config.eval().episodes(), config.qat().perChannel() ? "per-channel" : "per-tensor",
        100 * config.saliency().topFraction(), config.saliency().beta()));
    sb.append("| method | bits | success | mean return | return gap to expert | held-out action MAE (mean) |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      double mae = java.util.Arrays.stream(r.eval().heldoutActionMae()).average().orElse(Double.NaN);
      sb.append(String.format("| %s | %s | %.3f | %.4f | %.2f%% | %.4g |%n", r.method(), r.bits() == 32 ? "fp32" : "W" + r.bits(),
          r.eval().policy().successRate(), r.eval().policy().meanReturn(), 100 * r.eval().returnGap(), mae));
    }
    return sb.toString();
  }

  private static String csv(List<Row> rows) {
    StringBuilder sb = new StringBuilder("method,bits,success_rate,mean_return,expert_success_rate,expert_mean_return\n");
    for (Row r : rows) {
      sb.append(String.format("%s,%d,%s,%s,%s,%s%n", r.method(), r.bits(), r.eval().policy().successRate(),
          r.eval().policy().meanReturn(), r.eval().expert().successRate(), r.eval().expert().meanReturn()));
    }
    return sb.toString();
  }
}
