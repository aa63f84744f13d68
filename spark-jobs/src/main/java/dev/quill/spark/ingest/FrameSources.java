package dev.quill.spark.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

import dev.quill.config.QuillConfig;
import dev.quill.data.BadInputException;
import dev.quill.data.Columns;
import dev.quill.data.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the reader of an input ({@code ingest.format}, or detected: Parquet files make it LeRobot, HDF5 files
 * D4RL/Minari/robomimic by their structure) and returns the per-frame rows every reader produces:
 * {@code episode_index, frame_index, timestamp, observation.state, action, next.reward, next.done,
 * next.success, _file}, with canonical types, plus the problems the reader itself found.
 */
final class FrameSources {
  private static final Logger LOG = LoggerFactory.getLogger(FrameSources.class);

  private FrameSources() {}

  /**
   * What a reader produced.
   *
   * @param root the folder file names are reported relative to
   * @param layout files, declared dimensions and metadata
   * @param frames canonical per-frame rows with {@code _file}
   * @param findings problems found by the reader (file level, or per episode)
   * @param format the format that was read
   * @param cached a persisted Dataset to release when done, or null
   */
  record Frames(Path root, InputLayout layout, Dataset<Row> frames, List<Finding> findings, String format,
      Dataset<Row> cached) {}

  /** Reads {@code input} with the configured or detected reader. */
  static Frames open(SparkSession spark, QuillConfig config, Path input) {
    String format = config.ingest().format();
    if ("auto".equals(format)) {
      format = hasParquet(input) ? "lerobot" : Hdf5Source.files(input).isEmpty() ? "none" : "auto";
      if ("none".equals(format)) {
        throw new BadInputException("no Parquet (LeRobot) or HDF5 (D4RL, Minari, robomimic) files under " + input, List.of());
      }
    }
    return "lerobot".equals(format) ? lerobot(spark, input) : hdf5(spark, config, input, format);
  }

  private static Frames lerobot(SparkSession spark, Path input) {
    InputLayout layout = InputLayout.of(input);
    Path v3 = input.resolve("meta/episodes");
    if (Files.isDirectory(v3)) {
      layout = layout.withEpisodeLengths(v3Lengths(spark, v3), "meta/episodes/");
    }
    LOG.info("Ingesting {} LeRobot Parquet file(s) from {}", layout.dataFiles().size(), input);
    layout.notes().forEach(n -> LOG.info("Note: {}", n));
    String[] paths = layout.dataFiles().stream().map(p -> p.toUri().toString()).toArray(String[]::new);
    Dataset<Row> raw;
    try {
      raw = spark.read().parquet(paths).withColumn("_file", input_file_name());
    } catch (RuntimeException e) {
      throw new BadInputException("cannot read the Parquet files under " + layout.root() + ": " + e.getMessage(), List.of());
    }
    SchemaCheck.requireColumns(raw, layout);
    return new Frames(input, layout, SchemaCheck.canonicalTypes(raw), new ArrayList<>(), "lerobot", null);
  }

  /** LeRobot v3.0: episode lengths from {@code meta/episodes/chunk-*}/{@code file-*.parquet}. */
  private static Map<Long, Long> v3Lengths(SparkSession spark, Path dir) {
    Map<Long, Long> lengths = new LinkedHashMap<>();
    for (Row r : spark.read().option("recursiveFileLookup", "true").parquet(dir.toUri().toString())
        .select(col(Columns.EPISODE).cast("long"), col("length").cast("long")).collectAsList()) {
      lengths.put(r.getLong(0), r.getLong(1));
    }
    return lengths;
  }

  private static Frames hdf5(SparkSession spark, QuillConfig config, Path input, String format) {
    List<Path> files = Hdf5Source.files(input);
    if (files.isEmpty()) {
      throw new BadInputException("no HDF5 files (*.hdf5, *.h5) under " + input + " for --format " + format, List.of());
    }
    Path root = Files.isDirectory(input) ? input.toAbsolutePath() : input.toAbsolutePath().getParent();
    List<Finding> findings = new ArrayList<>();
    Dataset<Row> all = Hdf5Source.read(spark, root, files, format, config.ingest(), config.spark().partitions(), findings)
        .persist(StorageLevel.MEMORY_AND_DISK());
    findings.addAll(Hdf5Source.problems(all));
    List<String> notes = List.of("HDF5 read with jHDF " + (config.ingest().obsKeys().isEmpty()
        ? "; state = every per-step vector observation key, sorted by name (images skipped)"
        : "; state = observation keys " + config.ingest().obsKeys()));
    InputLayout layout = new InputLayout(root, List.of(), -1, -1, List.of(), List.of(), "", Map.of(), "", notes, null);
    Dataset<Row> frames = all.filter(col(Hdf5Source.RULE).isNull())
        .drop(Hdf5Source.RULE, Hdf5Source.COLUMN, Hdf5Source.MESSAGE);
    return new Frames(root, layout, frames, findings, format, all);
  }

  private static boolean hasParquet(Path input) {
    if (!Files.isDirectory(input)) {
      return false;
    }
    Path data = Files.isDirectory(input.resolve("data")) ? input.resolve("data") : input;
    try (Stream<Path> walk = Files.walk(data)) {
      return walk.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + data, e);
    }
  }
}
