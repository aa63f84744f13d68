package dev.quill.spark.ingest;

import dev.quill.config.IngestConfig;
import dev.quill.data.BadInputException;
import dev.quill.data.Columns;
import dev.quill.data.Finding;
import dev.quill.hdf5.EpisodeData;
import dev.quill.hdf5.EpisodeRef;
import dev.quill.hdf5.Hdf5EpisodeReader;
import dev.quill.hdf5.Hdf5Layout;
import dev.quill.hdf5.Hdf5Listing;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads D4RL, Minari and robomimic HDF5 files into the per-frame rows every reader produces. The driver
 * only lists files and episodes ({@link Hdf5Listing}: group names, or D4RL's boundaries from the
 * {@code terminals}/{@code timeouts} flags) and parallelizes those descriptors; each executor opens the files
 * of its episodes with jHDF and emits their frames, so no frame is shipped from the driver. Episodes that
 * break a format rule become one problem row each ({@code _rule}, {@code _column}, {@code _message}).
 */
final class Hdf5Source {
  private static final Logger LOG = LoggerFactory.getLogger(Hdf5Source.class);
  static final String RULE = "_rule";
  static final String COLUMN = "_column";
  static final String MESSAGE = "_message";

  private Hdf5Source() {}

  /** The HDF5 files of {@code input}: the file itself, or every {@code *.hdf5}/{@code *.h5} below it, sorted. */
  static List<Path> files(Path input) {
    if (Files.isRegularFile(input)) {
      return List.of(input.toAbsolutePath());
    }
    if (!Files.isDirectory(input)) {
      throw new BadInputException("input " + input + " does not exist", List.of());
    }
    try (Stream<Path> walk = Files.walk(input.toAbsolutePath())) {
      return walk.filter(Files::isRegularFile).filter(p -> {
        String n = p.getFileName().toString();
        return (n.endsWith(".hdf5") || n.endsWith(".h5")) && !n.startsWith(".");
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + input, e);
    }
  }

  /** The rows' schema: the canonical frame columns, {@code _file}, and the problem columns. */
  static StructType schema() {
    return new StructType()
        .add(Columns.EPISODE, DataTypes.LongType).add(Columns.FRAME, DataTypes.LongType)
        .add(Columns.TIMESTAMP, DataTypes.FloatType)
        .add(Columns.STATE, DataTypes.createArrayType(DataTypes.FloatType))
        .add(Columns.ACTION, DataTypes.createArrayType(DataTypes.FloatType))
        .add(Columns.REWARD, DataTypes.FloatType).add(Columns.DONE, DataTypes.BooleanType)
        .add(Columns.SUCCESS, DataTypes.BooleanType).add("_file", DataTypes.StringType)
        .add(RULE, DataTypes.StringType).add(COLUMN, DataTypes.StringType).add(MESSAGE, DataTypes.StringType);
  }

  /**
   * Lists the episodes of every file on the driver and returns the distributed rows (frames and problem rows).
   *
   * @param format {@code auto} or a layout name
   * @param fileFindings receives the file-level problems found while listing
   */
  static Dataset<Row> read(SparkSession spark, Path input, List<Path> files, String format, IngestConfig ingest,
      int partitions, List<Finding> fileFindings) {
    Hdf5Layout forced = "auto".equals(format) ? null : Hdf5Layout.of(format);
    List<EpisodeRef> refs = new ArrayList<>();
    long nextD4rl = 0;
    Hdf5Layout seen = null;
    for (Path f : files) {
      String label = Files.isDirectory(input) ? input.relativize(f).toString() : f.getFileName().toString();
      Hdf5Listing listing = Hdf5Listing.of(f, label, forced, ingest.filterKey(), nextD4rl);
      fileFindings.addAll(listing.problems());
      if (listing.problems().isEmpty() && listing.episodes().isEmpty()) {
        fileFindings.add(new Finding(label, -1, "", -1, "empty_episode", label + ": the file has no episodes"
            + (ingest.filterKey().isEmpty() ? "" : " in split mask/" + ingest.filterKey()) + " (rule empty_episode)"));
      }
      if (listing.layout() != null && seen != null && listing.layout() != seen) {
        fileFindings.add(new Finding(label, -1, "", -1, "unknown_layout", label + ": layout " + listing.layout().id()
            + " differs from " + seen.id() + " of the other files (rule unknown_layout)"));
        continue;
      }
      seen = seen == null ? listing.layout() : seen;
      refs.addAll(listing.episodes());
      if (listing.layout() == Hdf5Layout.D4RL) {
        nextD4rl += listing.episodes().size();
      }
    }
    LOG.info("Listed {} episode(s) in {} HDF5 file(s) ({}); reading them on the executors", refs.size(), files.size(),
        seen == null ? "no layout recognized" : seen.id());
    refs.sort(Comparator.comparing(EpisodeRef::file).thenComparingLong(EpisodeRef::episode));
    List<String> obsKeys = List.copyOf(ingest.obsKeys());
    int slices = Math.max(1, Math.min(refs.size(), partitions * 4));
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(refs, slices)
        .mapPartitions(it -> readPartition(it, obsKeys));
    return spark.createDataFrame(rows, schema());
  }

  /** Reads the episodes of one partition, keeping one file open at a time. */
  private static Iterator<Row> readPartition(Iterator<EpisodeRef> refs, List<String> obsKeys) throws IOException {
    List<Row> out = new ArrayList<>();
    HdfFile open = null;
    String openPath = null;
    try {
      while (refs.hasNext()) {
        EpisodeRef ref = refs.next();
        String uri = Path.of(ref.file()).toUri().toString();
        EpisodeData data;
        try {
          if (!ref.file().equals(openPath)) {
            if (open != null) {
              open.close();
            }
            openPath = ref.file();
            open = new HdfFile(Path.of(ref.file()));
          }
          data = Hdf5EpisodeReader.read(open, ref, obsKeys);
        } catch (RuntimeException e) {
          openPath = null;
          open = null;
          data = new EpisodeData(ref, new float[0][], new float[0][], new float[0], new boolean[0], List.of(new Finding(
              ref.label(), ref.episode(), "", -1, "unreadable_file", ref.label() + ": episode " + ref.episode()
                  + ": the file cannot be read as HDF5: " + e + " (rule unreadable_file)")));
        }
        for (Finding p : data.problems()) {
          out.add(RowFactory.create(ref.episode(), null, null, null, null, null, null, null, uri, p.rule(), p.column(),
              p.message()));
        }
        for (int t = 0; data.problems().isEmpty() && t < data.action().length; t++) {
          out.add(RowFactory.create(ref.episode(), (long) t, (float) t, data.state()[t], data.action()[t],
              data.reward()[t], data.done()[t], false, uri, null, null, null));
        }
      }
    } finally {
      if (open != null) {
        open.close();
      }
    }
    return out.iterator();
  }

  /** Findings of the problem rows (at most a few per bad episode), collected to the driver. */
  static List<Finding> problems(Dataset<Row> rows) {
    List<Finding> out = new ArrayList<>();
    for (Row r : rows.filter(rows.col(RULE).isNotNull()).select(Columns.EPISODE, "_file", RULE, COLUMN, MESSAGE)
        .collectAsList()) {
      out.add(new Finding(r.getString(1), r.getLong(0), r.getString(3), -1, r.getString(2), r.getString(4)));
    }
    return out;
  }
}
