package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.data.DatasetStats;
import dev.quill.policy.PolicyFiles;
import dev.quill.policy.PolicyInfo;
import dev.quill.spark.ChildQuill;
import dev.quill.spark.LocalSpark;
import dev.quill.spark.RunLayout;
import dev.quill.spark.generate.GenerateJob;
import dev.quill.spark.ingest.IngestJob;
import dev.quill.spark.quantize.QuantizeJob;
import dev.quill.spark.stats.StatsJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and resume: {@code quill train} in a child JVM is killed with SIGKILL after its second
 * checkpoint, {@code quill train --resume} finishes the run, and the final held-out loss is within
 * noise (2 %) of an uninterrupted run with the same seed.
 */
class KillAndResumeIT {
  private static final int EPOCHS = 8;
  private static final List<String> SETTINGS = List.of("task.name=linear", "task.episodes=300", "task.expertNoise=0",
      "quantize.numBins=64", "train.hidden=[64, 64]", "train.batchSize=64", "train.epochs=" + EPOCHS, "spark.master=local[2]");

  @TempDir
  Path dir;

  @Test
  void train_killedThenResumed_matchesUninterruptedRun() throws Exception {
    QuillConfig config = ConfigLoader.load(null, SETTINGS);
    RunLayout straight = new RunLayout(dir.resolve("straight"));
    RunLayout crashed = new RunLayout(dir.resolve("crashed"));
    double uninterrupted;
    SparkSession spark = LocalSpark.start("local[2]", KillAndResumeIT.class);
    try {
      GenerateJob.run(spark, config, straight.demos());
      IngestJob.run(spark, config, straight.demos(), straight.dataset(), straight.quarantine());
      DatasetStats stats = StatsJob.run(spark, straight.dataset(), straight.stats());
      QuantizeJob.run(spark, config, straight.dataset(), stats, straight.quantize());
      copyTree(straight.root(), crashed.root());
      uninterrupted = TrainJob.run(spark, config, straight).finalHeldoutLoss();
    } finally {
      LocalSpark.stop(spark);
    }

    Process first = ChildQuill.start(dir.resolve("first.log"), args(crashed, false));
    Path second = crashed.checkpoints().resolve("epoch-0002").resolve(TrainState.FILE);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(second) && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, first.exitValue(), "the first run must die by SIGKILL, log: " + Files.readString(dir.resolve("first.log")));
    assertFalse(Files.exists(crashed.policy()), "the killed run must not have finished");

    Process resumed = ChildQuill.start(dir.resolve("resumed.log"), args(crashed, true));
    assertTrue(resumed.waitFor(5, TimeUnit.MINUTES));
    String log = Files.readString(dir.resolve("resumed.log"));
    assertEquals(0, resumed.exitValue(), log);
    assertTrue(log.contains("--resume: continuing after epoch-000"), log);
    assertFalse(log.contains("epoch 1/" + EPOCHS + ":"), "epoch 1 must not be trained again: " + log);

    PolicyInfo info = PolicyFiles.load(crashed.policy()).info();
    assertEquals(EPOCHS, info.epochs());
    TrainState last = TrainCheckpoints.state(crashed.checkpoints().resolve(String.format("epoch-%04d", EPOCHS)));
    assertEquals(EPOCHS, last.history().size());
    assertEquals(EPOCHS * last.trainExamples(), last.examplesSeen());
    assertTrue(Math.abs(info.heldoutLoss() - uninterrupted) <= 0.02 * uninterrupted,
        "resumed held-out loss " + info.heldoutLoss() + " vs uninterrupted " + uninterrupted);
  }

  private static List<String> args(RunLayout layout, boolean resume) {
    List<String> a = new ArrayList<>(List.of("train", "--run-dir", layout.root().toString()));
    for (String s : SETTINGS) {
      a.add("--set");
      a.add(s);
    }
    if (resume) {
      a.add("--resume");
    }
    return a;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
