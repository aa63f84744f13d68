package dev.quill.spark.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.spark.DemoSchema;
import dev.quill.task.Task;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quill generate}: expert demonstrations of a built-in task, generated in parallel on the
 * executors (each task's episodes from their own derived seed) and written as Parquet with LeRobot-style
 * columns under {@code <out>/data/}, plus {@code meta/info.json} and {@code meta/episodes.jsonl}.
 * The output folder appears atomically.
 */
public final class GenerateJob {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateJob.class);
  /** Frames per second recorded in {@code timestamp} and {@code info.json}. */
  public static final int FPS = 10;

  private GenerateJob() {}

  /**
   * Result of a generate run.
   *
   * @param output the demonstrations folder
   * @param episodes episodes written
   * @param frames frames written
   * @param expertSuccessRate fraction of episodes in which the expert succeeded
   * @param expertMeanReturn mean episode return of the expert
   */
  public record Result(Path output, long episodes, long frames, double expertSuccessRate, double expertMeanReturn) {}

  /** Generates {@code task.episodes} demonstrations into folder {@code output}. */
  public static Result run(SparkSession spark, QuillConfig config, Path output) {
    Task task = config.task().create();
    int n = config.task().episodes();
    LOG.info("Generating {} expert episodes of task {} into {}", n, task.name(), output);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Long> ids = LongStream.range(0, n).boxed().toList();
    int slices = Math.max(1, Math.min(n, config.spark().partitions()));
    JavaRDD<Row> rows = jsc.parallelize(ids, slices).mapPartitions(new EpisodeRows(config.task(), config.seed(), FPS));
    Dataset<Row> df = spark.createDataFrame(rows, DemoSchema.demonstrations());

    Path staging = AtomicFiles.stagingDirFor(output);
    try {
      df.write().parquet(staging.resolve("data").toUri().toString());
      Dataset<Row> perEpisode = spark.read().parquet(staging.resolve("data").toUri().toString())
          .groupBy(col(Columns.EPISODE))
          .agg(count("*").as("length"), sum(col(DemoSchema.quoted(Columns.REWARD))).as("ret"),
              max(col(DemoSchema.quoted(Columns.SUCCESS))).as("success"))
          .orderBy(col(Columns.EPISODE));
      List<Row> episodes = perEpisode.collectAsList();
      long frames = 0;
      double returns = 0;
      int successes = 0;
      StringBuilder jsonl = new StringBuilder();
      for (Row r : episodes) {
        frames += r.getLong(1);
        returns += r.getDouble(2);
        successes += r.getBoolean(3) ? 1 : 0;
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("episode_index", r.getLong(0));
        line.putArray("tasks").add(task.name());
        line.put("length", r.getLong(1));
        jsonl.append(line.toString()).append('\n');
      }
      Files.createDirectories(staging.resolve("meta"));
      Files.writeString(staging.resolve("meta/episodes.jsonl"), jsonl.toString());
      Json.writeFile(staging.resolve("meta/info.json"), info(config, task, episodes.size(), frames));
      AtomicFiles.publishDir(staging, output);
      Result result = new Result(output, episodes.size(), frames, (double) successes / episodes.size(), returns / episodes.size());
      LOG.info("Wrote {} episodes, {} frames; expert success rate {}, mean return {}", result.episodes(), frames,
          String.format("%.3f", result.expertSuccessRate()), String.format("%.4f", result.expertMeanReturn()));
      return result;
    } catch (IOException e) {
      AtomicFiles.deleteRecursively(staging);
      throw new UncheckedIOException("cannot write demonstrations to " + output + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      AtomicFiles.deleteRecursively(staging);
      throw e;
    }
  }

  private static ObjectNode info(QuillConfig config, Task task, long episodes, long frames) {
    ObjectNode info = Json.MAPPER.createObjectNode();
    info.put("codebase_version", "quill/v1");
    info.put("generator", "quill generate");
    info.put("robot_type", task.name());
    info.put("fps", FPS);
    info.put("total_episodes", episodes);
    info.put("total_frames", frames);
    info.put("total_tasks", 1);
    info.put("seed", config.seed());
    info.set("task_config", Json.MAPPER.valueToTree(config.task()));
    ObjectNode features = info.putObject("features");
    vector(features, Columns.STATE, task.stateNames());
    if (task.imageShape() != null) {
      ObjectNode state = (ObjectNode) features.get(Columns.STATE);
      state.putArray("image_shape").add(task.imageShape().channels()).add(task.imageShape().height())
          .add(task.imageShape().width());
      state.put("image_layout", "channel-major: feature (c * height + row) * width + col, values in [0, 1]");
    }
    vector(features, Columns.ACTION, task.actionNames());
    scalar(features, Columns.TIMESTAMP, "float32");
    scalar(features, Columns.FRAME, "int64");
    scalar(features, Columns.EPISODE, "int64");
    scalar(features, Columns.REWARD, "float32");
    scalar(features, Columns.DONE, "bool");
    scalar(features, Columns.SUCCESS, "bool");
    return info;
  }

  private static void vector(ObjectNode features, String name, String[] names) {
    ObjectNode f = features.putObject(name);
    f.put("dtype", "float32");
    f.putArray("shape").add(names.length);
    ArrayNode n = f.putArray("names");
    for (String s : names) {
      n.add(s);
    }
  }

  private static void scalar(ObjectNode features, String name, String dtype) {
    ObjectNode f = features.putObject(name);
    f.put("dtype", dtype);
    f.putArray("shape").add(1);
  }
}
