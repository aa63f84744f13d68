package dev.quill.spark.saliency;

import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.saliency.SaliencyScorer;
import dev.quill.saliency.SisDistance;
import dev.quill.saliency.StatePerturbation;
import dev.quill.spark.Datasets;
import dev.quill.spark.RunLayout;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill saliency}: the full-precision policy (teacher) is broadcast and every state of the dataset
 * is scored on the executors, {@code SIS(s) = mean_k 1/2 ||z(s) - z(phi(s, k))||^2} over the teacher's
 * logits (Park et al., ICCV 2025, Eqs. 4-5). Writes {@code saliency/scores} (Parquet keyed by episode and
 * frame, with SIS and the teacher's logits for distillation) and {@code saliency/meta.json} with the
 * threshold of the top {@code topFraction} of SIS (Spark's approximate quantile) and a histogram.
 */
public final class SaliencyJob {
  private static final Logger LOG = LoggerFactory.getLogger(SaliencyJob.class);
  /** States scored per teacher call (each with its K perturbations). */
  private static final int BATCH = 64;
  /** SIS column. */
  public static final String SIS = "sis";
  /** Teacher logits column. */
  public static final String LOGITS = "teacher_logits";

  private SaliencyJob() {}

  /**
   * Result of scoring.
   *
   * @param states states scored
   * @param threshold SIS threshold above which states get weight beta
   * @param meanSis mean SIS
   */
  public record Result(long states, double threshold, double meanSis) {}

  /** Scores every state of {@code layout}'s dataset with {@code layout}'s policy. */
  public static Result run(SparkSession spark, QuillConfig config, RunLayout layout) {
    PolicyFiles.Bundle bundle = PolicyFiles.readBundle(layout.policy());
    Policy teacher = PolicyFiles.fromBundle(bundle, layout.policy().toString());
    if (!List.of("factorized", "codebook").contains(teacher.info().head())) {
      throw new IllegalArgumentException("the teacher in " + layout.policy() + " has the " + teacher.info().head()
          + " head; this stage supports the factorized and codebook heads (one logit group per token head)");
    }
    StatePerturbation phi = config.saliency().create(teacher.stats().state().mean(), teacher.stats().state().std(),
        config.task().create().imageShape(), config.seed());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<PolicyFiles.Bundle> b = jsc.broadcast(bundle);
    JavaRDD<Row> scored = Datasets.read(spark, layout.dataset())
        .select(Columns.EPISODE, Columns.FRAME, "`" + Columns.STATE + "`").javaRDD()
        .mapPartitions(new Score(b, phi, config.saliency().distance()));
    StructType schema = new StructType()
        .add(Columns.EPISODE, DataTypes.LongType, false)
        .add(Columns.FRAME, DataTypes.LongType, false)
        .add(SIS, DataTypes.DoubleType, false)
        .add(LOGITS, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    Path staging = AtomicFiles.stagingDirFor(layout.saliency());
    try {
      spark.createDataFrame(scored, schema).write().parquet(staging.resolve("scores").toUri().toString());
      Dataset<Row> scores = spark.read().parquet(staging.resolve("scores").toUri().toString());
      double threshold = scores.stat().approxQuantile(SIS, new double[] {1 - config.saliency().topFraction()}, 0.001)[0];
      Row agg = scores.agg(org.apache.spark.sql.functions.count(SIS), org.apache.spark.sql.functions.avg(SIS),
          org.apache.spark.sql.functions.max(SIS)).first();
      long n = agg.getLong(0);
      double mean = agg.getDouble(1);
      double max = agg.getDouble(2);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("teacher", layout.policy().toString());
      meta.put("config", config.saliency());
      meta.put("states", n);
      meta.put("locations", phi.locations());
      meta.put("imageShape", config.task().create().imageShape());
      meta.put("threshold", threshold);
      meta.put("meanSis", mean);
      meta.put("maxSis", max);
      meta.put("histogram", histogram(scores, max));
      Json.writeFile(staging.resolve("meta.json"), meta);
      AtomicFiles.publishDir(staging, layout.saliency());
    } catch (RuntimeException e) {
      AtomicFiles.deleteRecursively(staging);
      throw e;
    } finally {
      b.destroy();
    }
    Map<?, ?> meta = Json.read(layout.saliency().resolve("meta.json"), Map.class);
    Result r = new Result(((Number) meta.get("states")).longValue(), ((Number) meta.get("threshold")).doubleValue(),
        ((Number) meta.get("meanSis")).doubleValue());
    LOG.info("Scored {} states: mean SIS {}, top {} threshold {}", r.states(), String.format("%.4g", r.meanSis()),
        config.saliency().topFraction(), String.format("%.4g", r.threshold()));
    return r;
  }

  private static List<Long> histogram(Dataset<Row> scores, double max) {
    int bins = 20;
    double width = max > 0 ? max / bins : 1;
    long[] counts = new long[bins];
    for (Row r : scores.selectExpr("least(" + (bins - 1) + ", cast(floor(" + SIS + " / " + width + ") as int)) as bin")
        .groupBy("bin").count().collectAsList()) {
      counts[r.getInt(0)] = r.getLong(1);
    }
    List<Long> out = new ArrayList<>();
    for (long c : counts) {
      out.add(c);
    }
    return out;
  }

  /** Executor side: scores one partition's states with the broadcast teacher. */
  private static final class Score implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<PolicyFiles.Bundle> bundle;
    private final StatePerturbation phi;
    private final String distance;

    Score(Broadcast<PolicyFiles.Bundle> bundle, StatePerturbation phi, String distance) {
      this.bundle = bundle;
      this.phi = phi;
      this.distance = distance;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Policy teacher = PolicyFiles.fromBundle(bundle.value(), "broadcast teacher");
      SaliencyScorer scorer = new SaliencyScorer(teacher::logits, phi, SisDistance.of(distance, teacher.tokenizer()));
      List<Row> out = new ArrayList<>();
      List<Row> chunk = new ArrayList<>(BATCH);
      while (rows.hasNext()) {
        chunk.add(rows.next());
        if (chunk.size() == BATCH || !rows.hasNext()) {
          double[][] states = new double[chunk.size()][];
          for (int i = 0; i < states.length; i++) {
            states[i] = Datasets.vector(chunk.get(i), 2);
          }
          SaliencyScorer.Scores scores = scorer.scoreWithLogits(states);
          for (int i = 0; i < states.length; i++) {
            Row r = chunk.get(i);
            out.add(RowFactory.create(r.getLong(0), r.getLong(1), scores.sis()[i], scores.logits()[i]));
          }
          chunk.clear();
        }
      }
      return out.iterator();
    }
  }
}
