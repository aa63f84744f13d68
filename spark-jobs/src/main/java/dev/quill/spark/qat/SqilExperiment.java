package dev.quill.spark.qat;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.saliency.SisDistance;
import dev.quill.spark.RunLayout;
import dev.quill.spark.eval.EvalJob;
import dev.quill.spark.pipeline.PipelineJob;
import dev.quill.spark.qat.SqilTables.Cell;
import dev.quill.spark.qat.SqilTables.Concentration;
import dev.quill.spark.qat.SqilTables.Tail;
import dev.quill.spark.saliency.SaliencyJob;
import dev.quill.util.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill experiment sqil}: the FP / PTQ / QAT / QBC / SQIL comparison of Park et al. (ICCV 2025) over
 * tasks, precisions and seeds. For every task and seed (run folder {@code <root>/<task>/seed-<seed>}): trains
 * the full-precision teacher with the pipeline when the folder has none, scores saliency, builds the students
 * of every precision ({@code qat.methods}), evaluates the teacher and every student closed-loop on the same
 * evaluation seeds, and measures each student's discrepancy to the teacher on up to {@code sampleStates}
 * dataset states. Writes {@code <root>/experiment-sqil/}: {@code table1.csv}, {@code runs.csv},
 * {@code table2.csv}, {@code tables.md} and {@code success-<task>.png} after every finished seed (so a run
 * stopped part-way keeps the tables of the seeds it finished) and prints them at the end.
 */
public final class SqilExperiment {
  private static final Logger LOG = LoggerFactory.getLogger(SqilExperiment.class);
  /** Overrides of {@code --quick}: a small teacher, one fine-tuning epoch, 20 evaluation episodes. */
  public static final List<String> QUICK = List.of("task.episodes=200", "task.expertNoise=0.01", "quantize.numBins=32",
      "train.hidden=[64, 64]", "train.batchSize=64", "train.epochs=6", "eval.episodes=20", "qat.epochs=1");

  private SqilExperiment() {}

  /**
   * What to run.
   *
   * @param configFile the YAML config (null: defaults)
   * @param overrides {@code --set} overrides applied to every run
   * @param tasks task specs {@code NAME[:key=value[:key=value...]]}, e.g. {@code reach} or
   *     {@code lane:task.observation=image}; the extra overrides select a variant
   * @param precisions precisions ({@link Precision#parse})
   * @param seeds number of seeds, {@code config.seed + 0 .. seeds - 1}
   * @param quick apply {@link #QUICK} before {@code overrides}
   * @param sampleStates dataset states (with SIS) on which discrepancies are measured
   */
  public record Options(Path configFile, List<String> overrides, List<String> tasks, List<Precision> precisions,
      int seeds, boolean quick, int sampleStates) {
    /** Validates the sizes. */
    public Options {
      if (tasks.isEmpty() || precisions.isEmpty() || seeds < 1 || sampleStates < 10) {
        throw new IllegalArgumentException("experiment sqil needs at least one task and precision, seeds >= 1 and "
            + "sampleStates >= 10, got " + tasks + ", " + precisions + ", " + seeds + ", " + sampleStates);
      }
      overrides = List.copyOf(overrides);
      tasks = List.copyOf(tasks);
      precisions = List.copyOf(precisions);
    }
  }

  /**
   * The measurements.
   *
   * @param dir where the tables were written
   */
  public record Result(List<Cell> cells, List<Concentration> concentration, List<Tail> tails, Path dir) {}

  /** Runs the comparison under {@code root}. */
  public static Result run(SparkSession spark, Options opt, Path root, String gitRevision) {
    long seed0 = load(opt, List.of()).seed();
    List<Cell> cells = new ArrayList<>();
    List<Concentration> conc = new ArrayList<>();
    List<Tail> tails = new ArrayList<>();
    double topSis = 0.2;
    Path dir = root.resolve("experiment-sqil");
    String tables = "";
    for (String spec : opt.tasks()) {
      String[] parts = spec.split(":");
      String label = spec.replaceAll("[^A-Za-z0-9._=-]", "_");
      for (int k = 0; k < opt.seeds(); k++) {
        long seed = seed0 + k;
        List<String> taskOverrides = new ArrayList<>(List.of("task.name=" + parts[0], "seed=" + seed));
        taskOverrides.addAll(Arrays.asList(parts).subList(1, parts.length));
        QuillConfig base = load(opt, taskOverrides);
        topSis = base.saliency().topFraction();
        RunLayout layout = new RunLayout(root.resolve(label).resolve("seed-" + seed));
        LOG.info("experiment sqil: task {} seed {} in {}", spec, seed, layout.root());
        if (!Files.isDirectory(layout.policy())) {
          PipelineJob.run(spark, base, layout, gitRevision);
        }
        SaliencyJob.run(spark, base, layout);
        EvalJob.Result fpEval = EvalJob.run(spark, base, layout.policy(), layout.dataset(), layout.eval());
        cells.add(cell(label, "FP", "fp", seed, fpEval, 0.0));
        Policy fp = PolicyFiles.load(layout.policy());
        Discrepancy.Sample sample = Discrepancy.sample(spark, layout, opt.sampleStates());
        float[][] zFp = Discrepancy.logits(fp, sample.states());
        SisDistance distance = SisDistance.of(base.saliency().distance(), fp.tokenizer());
        for (Precision p : opt.precisions()) {
          List<String> po = new ArrayList<>(taskOverrides);
          po.addAll(p.overrides());
          QuillConfig c = load(opt, po);
          for (QatJob.Student s : QatJob.run(spark, c, layout)) {
            EvalJob.Result r = EvalJob.run(spark, c, s.policyDir(), layout.dataset(),
                s.policyDir().resolveSibling(s.policyDir().getFileName() + "-eval"));
            double[] d = Discrepancy.perState(zFp, PolicyFiles.load(s.policyDir()), sample.states(), distance);
            cells.add(cell(label, p.label(), s.method(), seed, r, Discrepancy.mean(d, sample.heldout())));
            tails.add(new Tail(label, p.label(), s.method(), seed, Arrays.stream(d).average().orElse(Double.NaN),
                Discrepancy.quantile(d, 0.95), Discrepancy.quantile(d, 0.99)));
            if ("ptq".equals(s.method())) {
              conc.add(new Concentration(label, p.label(), seed, Discrepancy.concentration(d, sample.sis(), topSis, 0.1),
                  Discrepancy.massShare(d, sample.sis(), topSis)));
            }
          }
        }
        // Tables of every seed finished so far: a run stopped later keeps them (each file replaced atomically).
        tables = writeTables(dir, cells, conc, tails, topSis);
      }
    }
    System.out.println(tables);
    return new Result(cells, conc, tails, dir);
  }

  /** Writes the CSVs, {@code tables.md} and the charts of {@code cells} into {@code dir}; returns the Markdown. */
  private static String writeTables(Path dir, List<Cell> cells, List<Concentration> conc, List<Tail> tails,
      double topSis) {
    AtomicFiles.writeString(dir.resolve("table1.csv"), SqilTables.table1Csv(cells));
    AtomicFiles.writeString(dir.resolve("runs.csv"), SqilTables.runsCsv(cells));
    AtomicFiles.writeString(dir.resolve("table2.csv"), SqilTables.table2Csv(conc, tails));
    String tables = SqilTables.renderTable1(cells) + SqilTables.renderTable2(conc, tails, topSis);
    AtomicFiles.writeString(dir.resolve("tables.md"), tables);
    for (String task : SqilTables.distinct(cells, Cell::task)) {
      AtomicFiles.writeBytes(dir.resolve("success-" + task + ".png"), SqilTables.successChart(task, cells));
    }
    return tables;
  }

  private static Cell cell(String task, String precision, String method, long seed, EvalJob.Result r, double d) {
    return new Cell(task, precision, method, seed, r.policy().successRate(), r.policy().meanReturn(),
        r.expert().successRate(), d);
  }

  private static QuillConfig load(Options opt, List<String> extra) {
    List<String> all = new ArrayList<>(opt.quick() ? QUICK : List.of());
    all.addAll(opt.overrides());
    all.addAll(extra);
    return ConfigLoader.load(opt.configFile(), all);
  }
}
