package dev.quill.spark.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import dev.quill.config.QuillConfig;
import dev.quill.data.BadInputException;
import dev.quill.data.Columns;
import dev.quill.data.EpisodeSplit;
import dev.quill.data.Finding;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill ingest}: reads demonstrations (Parquet with LeRobot-style columns), validates every
 * episode, and writes the canonical dataset: Parquet partitioned by a hash of {@code episode_index}
 * (an episode never straddles partitions), sorted by episode and frame, with a {@code heldout} column.
 *
 * <p>Rules (see {@link Rule}): non-finite values, wrong vector length, missing values, gaps or repeats
 * in {@code frame_index}, an episode index found in several files, empty episodes and files, and episode
 * lengths that disagree with {@code meta/episodes.jsonl}. With {@code ingest.onBadEpisode=quarantine} bad
 * episodes are skipped, their rows copied to {@code quarantine/rows} and every finding listed in
 * {@code quarantine/report.json}; with {@code fail} the job stops with a {@link BadInputException} and
 * writes nothing. Inputs are only read. Outputs appear atomically.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
  private static final String FILE = "_file";
  private static final String STATE = "`" + Columns.STATE + "`";
  private static final String ACTION = "`" + Columns.ACTION + "`";

  private IngestJob() {}

  /**
   * Result of an ingest run.
   *
   * @param dataset the canonical dataset folder
   * @param episodes episodes kept
   * @param frames frames kept
   * @param heldoutEpisodes kept episodes marked held out
   * @param stateDim state dimension
   * @param actionDim action dimension
   * @param quarantinedEpisodes episodes rejected
   * @param findings every problem found
   */
  public record Result(Path dataset, long episodes, long frames, long heldoutEpisodes, int stateDim, int actionDim,
      long quarantinedEpisodes, List<Finding> findings) {}

  /**
   * Reads {@code input} in its format ({@code ingest.format}: LeRobot Parquet, D4RL, Minari or robomimic
   * HDF5; detected when {@code auto}), validates it and writes {@code dataset} and {@code quarantine} folders.
   */
  public static Result run(SparkSession spark, QuillConfig config, Path input, Path dataset, Path quarantine) {
    long t0 = System.nanoTime();
    FrameSources.Frames source = FrameSources.open(spark, config, input);
    try {
      Result r = validateAndWrite(spark, config, source, dataset, quarantine);
      double seconds = (System.nanoTime() - t0) / 1e9;
      LOG.info("Ingest ({}) of {} frames took {} s ({} frames/s)", source.format(), r.frames(),
          String.format("%.2f", seconds), String.format("%.0f", r.frames() / seconds));
      return r;
    } finally {
      if (source.cached() != null) {
        source.cached().unpersist();
      }
    }
  }

  private static Result validateAndWrite(SparkSession spark, QuillConfig config, FrameSources.Frames source,
      Path dataset, Path quarantine) {
    InputLayout layout = source.layout();
    Dataset<Row> df = source.frames();
    Path input = source.root();
    int stateDim = layout.stateDim() > 0 ? layout.stateDim() : modeLength(df, STATE, Columns.STATE);
    int actionDim = layout.actionDim() > 0 ? layout.actionDim() : modeLength(df, ACTION, Columns.ACTION);

    List<Finding> findings = new ArrayList<>(source.findings());
    Set<Long> bad = new HashSet<>();
    source.findings().stream().filter(f -> f.episode() >= 0).forEach(f -> bad.add(f.episode()));
    EpisodeChecks checks = new EpisodeChecks(stateDim, actionDim);
    org.apache.spark.sql.Column[] aggs = checks.aggregates();
    List<Row> badEpisodes = df.filter(col(Columns.EPISODE).isNotNull())
        .groupBy(col(Columns.EPISODE)).agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length))
        .filter(checks.anyBroken()).collectAsList();
    for (Row r : badEpisodes) {
      bad.add(r.getLong(0));
      findings.addAll(checks.findings(r));
    }
    long orphanRows = df.filter(col(Columns.EPISODE).isNull()).count();
    if (orphanRows > 0) {
      for (Row r : df.filter(col(Columns.EPISODE).isNull()).groupBy(FILE).count().collectAsList()) {
        findings.add(new Finding(relative(input, r.getString(0)), -1, Columns.EPISODE, -1, Rule.MISSING_VALUE.id(),
            relative(input, r.getString(0)) + ": " + r.getLong(1) + " row(s), column " + Columns.EPISODE + " "
                + Rule.MISSING_VALUE.description() + " (rule " + Rule.MISSING_VALUE.id() + ")"));
      }
    }
    Map<Long, Long> observed = new LinkedHashMap<>();
    for (Row r : df.filter(col(Columns.EPISODE).isNotNull()).groupBy(col(Columns.EPISODE)).count().collectAsList()) {
      observed.put(r.getLong(0), r.getLong(1));
    }
    findings.addAll(MetadataChecks.check(layout, observed, seenFiles(df), bad));
    findings.replaceAll(f -> relativize(input, f));

    if (!findings.isEmpty() && "fail".equals(config.ingest().onBadEpisode())) {
      throw new BadInputException("ingest of " + input + " found " + findings.size()
          + " problem(s); nothing was written (set ingest.onBadEpisode=quarantine to skip bad episodes)", findings);
    }
    return write(spark, config, source, df, stateDim, actionDim, bad, findings, dataset, quarantine);
  }

  private static Result write(SparkSession spark, QuillConfig config, FrameSources.Frames source, Dataset<Row> df,
      int stateDim, int actionDim, Set<Long> bad, List<Finding> findings, Path dataset, Path quarantine) {
    Path input = source.root();
    InputLayout layout = source.layout();
    long seed = config.seed();
    double fraction = config.ingest().heldoutFraction();
    spark.udf().register("quill_heldout", (UDF1<Long, Boolean>) e -> EpisodeSplit.isHeldOut(e, seed, fraction),
        DataTypes.BooleanType);
    Dataset<Row> badIds = spark.createDataset(new ArrayList<>(bad), org.apache.spark.sql.Encoders.LONG())
        .toDF(Columns.EPISODE);
    Dataset<Row> good = df.filter(col(Columns.EPISODE).isNotNull())
        .join(broadcast(badIds), df.col(Columns.EPISODE).equalTo(badIds.col(Columns.EPISODE)), "left_anti")
        .withColumn(Columns.HELDOUT, callUDF("quill_heldout", col(Columns.EPISODE)))
        .select(col(Columns.EPISODE), col(Columns.FRAME), col(Columns.TIMESTAMP), col(STATE), col(ACTION),
            col("`" + Columns.REWARD + "`"), col("`" + Columns.DONE + "`"), col("`" + Columns.SUCCESS + "`"), col(Columns.HELDOUT))
        .repartition(config.spark().partitions(), col(Columns.EPISODE))
        .sortWithinPartitions(Columns.EPISODE, Columns.FRAME);

    Path dsStaging = AtomicFiles.stagingDirFor(dataset);
    Path qStaging = AtomicFiles.stagingDirFor(quarantine);
    try {
      good.write().parquet(dsStaging.resolve("data").toUri().toString());
      Row counts = spark.read().parquet(dsStaging.resolve("data").toUri().toString())
          .agg(countDistinct(col(Columns.EPISODE)), count(lit(1)),
              countDistinct(when(col(Columns.HELDOUT), col(Columns.EPISODE))))
          .first();
      long episodes = counts.getLong(0);
      long frames = counts.getLong(1);
      long heldout = counts.getLong(2);
      if (episodes == 0) {
        throw new BadInputException("ingest of " + input + " kept no episode: every episode was quarantined", findings);
      }
      DatasetMeta meta = new DatasetMeta(DatasetMeta.FORMAT, DatasetMeta.FORMAT_VERSION, layout.task(), stateDim, actionDim,
          names(layout.stateNames(), stateDim, "s"), names(layout.actionNames(), actionDim, "a"), episodes, frames, heldout,
          fraction, seed, input.toString(), layout.imageShape());
      Json.writeFile(dsStaging.resolve(DatasetMeta.FILE), meta);

      if (!bad.isEmpty()) {
        df.filter(col(Columns.EPISODE).isNull().or(col(Columns.EPISODE).isin(bad.toArray())))
            .write().parquet(qStaging.resolve("rows").toUri().toString());
      }
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("input", input.toString());
      report.put("format", source.format());
      report.put("onBadEpisode", config.ingest().onBadEpisode());
      report.put("notes", layout.notes());
      report.put("keptEpisodes", episodes);
      report.put("keptFrames", frames);
      report.put("quarantinedEpisodes", bad.stream().sorted().toList());
      report.put("findings", findings);
      Json.writeFile(qStaging.resolve("report.json"), report);
      AtomicFiles.publishDir(dsStaging, dataset);
      AtomicFiles.publishDir(qStaging, quarantine);
      LOG.info("Kept {} episodes ({} frames, {} held out); quarantined {} episode(s) with {} finding(s)",
          episodes, frames, heldout, bad.size(), findings.size());
      for (Finding f : findings.subList(0, Math.min(20, findings.size()))) {
        LOG.warn("Quarantined: {}", f.message());
      }
      return new Result(dataset, episodes, frames, heldout, stateDim, actionDim, bad.size(), findings);
    } catch (RuntimeException e) {
      AtomicFiles.deleteRecursively(dsStaging);
      AtomicFiles.deleteRecursively(qStaging);
      throw e;
    }
  }

  private static int modeLength(Dataset<Row> df, String quotedColumn, String column) {
    List<Row> tops = df.filter(col(quotedColumn).isNotNull()).groupBy(size(col(quotedColumn)).as("n")).count()
        .orderBy(desc("count"), col("n")).limit(1).collectAsList();
    if (tops.isEmpty()) {
      return 0;
    }
    Row top = tops.get(0);
    LOG.info("No meta/info.json shape for {}: using its most common length {}", column, top.getInt(0));
    return top.getInt(0);
  }

  private static Set<String> seenFiles(Dataset<Row> df) {
    Set<String> files = new HashSet<>();
    for (Row r : df.select(FILE).distinct().collectAsList()) {
      files.add(r.getString(0));
    }
    return files;
  }

  private static List<String> names(List<String> declared, int dim, String prefix) {
    if (declared.size() == dim) {
      return declared;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < dim; i++) {
      names.add(prefix + i);
    }
    return names;
  }

  private static Finding relativize(Path input, Finding f) {
    return new Finding(relative(input, f.file()), f.episode(), f.column(), f.frame(), f.rule(),
        f.message().replace(input.toUri().toString(), "").replace("file:" + input + "/", "").replace(input + "/", ""));
  }

  static String relative(Path input, String file) {
    String s = file;
    for (String prefix : new String[] {input.toUri().toString(), "file:" + input + "/", "file://" + input + "/", input + "/"}) {
      s = s.replace(prefix, "");
    }
    return s;
  }
}
