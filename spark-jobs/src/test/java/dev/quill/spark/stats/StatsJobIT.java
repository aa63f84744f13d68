package dev.quill.spark.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.Columns;
import dev.quill.data.DatasetStats;
import dev.quill.data.FeatureMoments;
import dev.quill.spark.Datasets;
import dev.quill.spark.LocalSpark;
import dev.quill.spark.RunLayout;
import dev.quill.spark.generate.GenerateJob;
import dev.quill.spark.ingest.IngestJob;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quill stats} on image observations (8x8x3 lane images, 192 features: the wide path) against a
 * direct computation over the collected training rows, and on the 2-dimensional actions (percentile_approx).
 */
class StatsJobIT {
  private static SparkSession spark;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", StatsJobIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  @Test
  void run_imageStates_channelPooledMomentsSampledQuantilesAndNotes() {
    RunLayout layout = new RunLayout(dir.resolve("run"));
    QuillConfig config = ConfigLoader.load(null, List.of("task.name=lane", "task.observation=image", "task.imageSize=8",
        "task.episodes=12"));
    GenerateJob.run(spark, config, layout.demos());
    IngestJob.run(spark, config, layout.demos(), layout.dataset(), layout.quarantine());
    DatasetStats stats = StatsJob.run(spark, layout.dataset(), layout.stats());

    List<Row> rows = Datasets.train(spark, layout.dataset()).select("`" + Columns.STATE + "`").collectAsList();
    double[][] states = new double[rows.size()][];
    FeatureMoments direct = new FeatureMoments(192);
    for (int i = 0; i < states.length; i++) {
      states[i] = Datasets.vector(rows.get(i), 0);
      direct.add(states[i]);
    }
    assertTrue(states.length < StatsJob.QUANTILE_SAMPLE, "the sample must hold every frame: " + states.length);
    assertEquals(states.length, stats.state().count());
    // Mean and std pooled over each channel's 64 pixels and every frame, computed directly from the values.
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double sumSq = 0;
      for (double[] s : states) {
        for (int i = c * 64; i < (c + 1) * 64; i++) {
          sum += s[i];
          sumSq += s[i] * s[i];
        }
      }
      double n = 64.0 * states.length;
      double mu = sum / n;
      for (int i = c * 64; i < (c + 1) * 64; i++) {
        assertEquals(mu, stats.state().mean()[i], 1e-9, "channel " + c + " feature " + i);
        assertEquals(Math.sqrt(sumSq / n - mu * mu), stats.state().std()[i], 1e-9, "channel " + c + " feature " + i);
      }
    }
    assertTrue(stats.normalization().get(Columns.STATE).startsWith("mean and std pooled per image channel (3 channels "
        + "of 8x8 pixels)"), stats.normalization().toString());
    assertEquals(stats.normalization(), DatasetStats.read(layout.stats()).normalization());
    assertArrayEquals(direct.min(), stats.state().min(), 0);
    assertArrayEquals(direct.max(), stats.state().max(), 0);
    assertArrayEquals(FeatureMoments.quantile(states, 0.01), stats.state().q01(), 0);
    assertArrayEquals(FeatureMoments.quantile(states, 0.99), stats.state().q99(), 0);
    assertTrue(stats.state().max()[0] >= 0 && stats.state().std()[100] >= 0);
    String note = stats.quantiles().get(Columns.STATE);
    assertTrue(note.contains("sample of " + states.length + " of " + states.length + " frames"), note);
    assertNull(stats.quantiles().get(Columns.ACTION));
    assertEquals(stats.quantiles(), DatasetStats.read(layout.stats()).quantiles());
  }
}
