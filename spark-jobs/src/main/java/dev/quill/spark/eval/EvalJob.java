package dev.quill.spark.eval;

import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.eval.EpisodeOutcome;
import dev.quill.eval.EvalSummary;
import dev.quill.eval.Rollouts;
import dev.quill.dynamics.DynamicsModel;
import dev.quill.dynamics.ModelBasedRollouts;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.spark.Datasets;
import dev.quill.task.Task;
import dev.quill.task.TaskConfig;
import dev.quill.util.AbsErrorStats;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import dev.quill.util.Seeds;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill eval}: closed-loop rollouts of a policy (argmax tokens decoded to actions) on its task,
 * distributed over executors by episode seed, next to the scripted expert on the same seeds; plus the
 * policy's mean absolute action error on the held-out episodes of the dataset. Evaluation seeds are
 * derived from the run seed under their own purpose, so they never coincide with demonstration seeds.
 */
public final class EvalJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvalJob.class);
  private static final int BATCH = 1024;

  private EvalJob() {}

  /**
   * Result of an evaluation.
   *
   * @param policy summary of the policy's episodes
   * @param expert summary of the expert's episodes on the same seeds
   * @param heldoutActionMae mean absolute action error per dimension on held-out states (empty if none)
   * @param heldoutSteps held-out states measured
   */
  public record Result(EvalSummary policy, EvalSummary expert, double[] heldoutActionMae, long heldoutSteps)
      implements Serializable {

    /** Policy success rate divided by the expert's (1 when the expert never succeeds and neither does the policy). */
    public double successRatio() {
      return expert.successRate() == 0 ? (policy.successRate() == 0 ? 1 : Double.POSITIVE_INFINITY)
          : policy.successRate() / expert.successRate();
    }

    /** Relative return gap {@code (expert - policy) / |expert|}; positive when the policy is worse. */
    public double returnGap() {
      return (expert.meanReturn() - policy.meanReturn()) / Math.max(1e-12, Math.abs(expert.meanReturn()));
    }
  }

  /**
   * Evaluates the policy in {@code policyDir}.
   *
   * @param dataset canonical dataset for the held-out action error, or {@code null} to skip it
   * @param out folder for {@code report.json}, written atomically
   */
  public static Result run(SparkSession spark, QuillConfig config, Path policyDir, Path dataset, Path out) {
    return run(spark, config, policyDir, dataset, out, null);
  }

  /**
   * Evaluates the policy in {@code policyDir}; with {@code eval.deployment: model-based} the policy acts on
   * the states imagined by the dynamics model in {@code dynamicsDir} ({@link ModelBasedRollouts}).
   *
   * @param dataset canonical dataset for the held-out action error, or {@code null} to skip it
   * @param out folder for {@code report.json}, written atomically
   * @param dynamicsDir the dynamics model directory, needed only for model-based deployment
   */
  public static Result run(SparkSession spark, QuillConfig config, Path policyDir, Path dataset, Path out, Path dynamicsDir) {
    boolean modelBased = "model-based".equals(config.eval().deployment());
    if (modelBased && dynamicsDir == null) {
      throw new IllegalArgumentException("eval.deployment is model-based but no dynamics model directory was given");
    }
    Map<String, byte[]> dynamics = modelBased ? DynamicsModel.readFiles(dynamicsDir) : null;
    PolicyFiles.Bundle bundle = PolicyFiles.readBundle(policyDir);
    Policy driverCopy = PolicyFiles.fromBundle(bundle, policyDir.toString());
    TaskConfig taskConfig = config.task();
    if (!driverCopy.info().task().equals(taskConfig.name())) {
      throw new IllegalArgumentException("policy " + policyDir + " was trained on task " + driverCopy.info().task()
          + " but task.name is " + taskConfig.name() + "; set --set task.name=" + driverCopy.info().task());
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<PolicyFiles.Bundle> b = jsc.broadcast(bundle);
    int n = config.eval().episodes();
    List<Long> seeds = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      seeds.add(Seeds.derive(config.seed(), Seeds.EVAL, i));
    }
    LOG.info("Evaluating {} on {} episodes of task {} (and the expert on the same seeds), {} deployment", policyDir, n,
        taskConfig.name(), config.eval().deployment());
    Broadcast<Map<String, byte[]>> dyn = modelBased ? jsc.broadcast(dynamics) : null;
    List<EpisodeOutcome[]> pairs = jsc.parallelize(seeds, Math.max(1, Math.min(n, config.spark().partitions())))
        .mapPartitions(new RolloutPartition(taskConfig, b, dyn)).collect();
    if (dyn != null) {
      dyn.destroy();
    }
    List<EpisodeOutcome> policy = new ArrayList<>();
    List<EpisodeOutcome> expert = new ArrayList<>();
    for (EpisodeOutcome[] p : pairs) {
      policy.add(p[0]);
      expert.add(p[1]);
    }
    AbsErrorStats mae = null;
    if (dataset != null && Files.isDirectory(dataset)) {
      mae = Datasets.heldout(spark, dataset).select("`" + Columns.STATE + "`", "`" + Columns.ACTION + "`").javaRDD()
          .mapPartitions(new ActionErrorPartition(b)).reduce(AbsErrorStats::merge);
    }
    b.destroy();
    Result result = new Result(EvalSummary.of(policy), EvalSummary.of(expert),
        mae == null || mae.count() == 0 ? new double[0] : mae.meanPerDim(), mae == null ? 0 : mae.count());
    write(out, result, policyDir, config);
    LOG.info("Policy: success {} return {} | expert: success {} return {} | success ratio {}, return gap {}%",
        fmt(result.policy().successRate()), fmt(result.policy().meanReturn()), fmt(result.expert().successRate()),
        fmt(result.expert().meanReturn()), fmt(result.successRatio()), fmt(100 * result.returnGap()));
    return result;
  }

  private static void write(Path out, Result result, Path policyDir, QuillConfig config) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("policy", policyDir.toString());
    report.put("task", config.task());
    report.put("episodes", config.eval().episodes());
    report.put("deployment", config.eval().deployment());
    report.put("policySummary", result.policy());
    report.put("expertSummary", result.expert());
    report.put("successRatio", result.successRatio());
    report.put("returnGap", result.returnGap());
    report.put("heldoutActionMaePerDim", result.heldoutActionMae());
    report.put("heldoutSteps", result.heldoutSteps());
    Path staging = AtomicFiles.stagingDirFor(out);
    Json.writeFile(staging.resolve("report.json"), report);
    AtomicFiles.publishDir(staging, out);
  }

  private static String fmt(double v) {
    return String.format("%.4f", v);
  }

  /** Executor side: policy and expert rollouts of one partition's seeds. */
  private static final class RolloutPartition implements FlatMapFunction<Iterator<Long>, EpisodeOutcome[]> {
    private static final long serialVersionUID = 1L;
    private final TaskConfig taskConfig;
    private final Broadcast<PolicyFiles.Bundle> bundle;
    private final Broadcast<Map<String, byte[]>> dynamics;

    RolloutPartition(TaskConfig taskConfig, Broadcast<PolicyFiles.Bundle> bundle, Broadcast<Map<String, byte[]>> dynamics) {
      this.taskConfig = taskConfig;
      this.bundle = bundle;
      this.dynamics = dynamics;
    }

    @Override
    public Iterator<EpisodeOutcome[]> call(Iterator<Long> seedIt) {
      List<Long> list = new ArrayList<>();
      seedIt.forEachRemaining(list::add);
      if (list.isEmpty()) {
        return List.<EpisodeOutcome[]>of().iterator();
      }
      long[] seeds = list.stream().mapToLong(Long::longValue).toArray();
      Task task = taskConfig.create();
      Policy policy = PolicyFiles.fromBundle(bundle.value(), "broadcast policy");
      List<EpisodeOutcome> p = dynamics == null ? Rollouts.policy(task, policy, seeds)
          : ModelBasedRollouts.run(task, policy, DynamicsModel.fromFiles(dynamics.value(), "broadcast dynamics model"), seeds);
      List<EpisodeOutcome> e = Rollouts.expert(task, seeds);
      List<EpisodeOutcome[]> out = new ArrayList<>();
      for (int i = 0; i < seeds.length; i++) {
        out.add(new EpisodeOutcome[] {p.get(i), e.get(i)});
      }
      return out.iterator();
    }
  }

  /** Executor side: |policy action - expert action| on one partition's held-out states. */
  private static final class ActionErrorPartition implements FlatMapFunction<Iterator<Row>, AbsErrorStats> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<PolicyFiles.Bundle> bundle;

    ActionErrorPartition(Broadcast<PolicyFiles.Bundle> bundle) {
      this.bundle = bundle;
    }

    @Override
    public Iterator<AbsErrorStats> call(Iterator<Row> rows) {
      Policy policy = PolicyFiles.fromBundle(bundle.value(), "broadcast policy");
      AbsErrorStats err = new AbsErrorStats(policy.info().actionDim());
      List<double[]> states = new ArrayList<>();
      List<double[]> actions = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        states.add(Datasets.vector(r, 0));
        actions.add(Datasets.vector(r, 1));
        if (states.size() == BATCH || !rows.hasNext()) {
          double[][] predicted = policy.act(states.toArray(double[][]::new));
          for (int i = 0; i < predicted.length; i++) {
            err.add(actions.get(i), predicted[i]);
          }
          states.clear();
          actions.clear();
        }
      }
      return List.of(err).iterator();
    }
  }
}
