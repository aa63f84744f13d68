package dev.quill.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.spark.LocalSpark;
import dev.quill.spark.RunLayout;
import dev.quill.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on small configs, closed loop: on {@code reach} the learned policy reaches at least
 * 90 % of the expert's success rate, and on {@code linear} a mean return within 5 % of the expert's,
 * over 100 evaluation episodes on seeds never used for demonstrations.
 */
class DemoPipelineIT {
  private static SparkSession spark;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", DemoPipelineIT.class);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  @Test
  void reach_policyReachesNinetyPercentOfExpertSuccess() {
    QuillConfig config = ConfigLoader.load(null, List.of("task.name=reach", "task.episodes=600", "task.expertNoise=0.01",
        "quantize.numBins=64", "train.hidden=[128, 128]", "train.batchSize=64", "train.epochs=30", "eval.episodes=100"));
    PipelineJob.Result r = PipelineJob.run(spark, config, new RunLayout(dir.resolve("reach")), "test");
    assertEquals(100, r.eval().policy().episodes());
    assertTrue(r.eval().expert().successRate() >= 0.95, "expert success " + r.eval().expert().successRate());
    assertTrue(r.eval().successRatio() >= 0.9, "policy success " + r.eval().policy().successRate()
        + " vs expert " + r.eval().expert().successRate());
    assertRunFiles(r.layout(), 30);
  }

  @Test
  void linear_policyReturnWithinFivePercentOfExpert() {
    QuillConfig config = ConfigLoader.load(null, List.of("task.name=linear", "task.episodes=1000", "task.expertNoise=0",
        "train.batchSize=256", "train.epochs=15", "eval.episodes=100"));
    PipelineJob.Result r = PipelineJob.run(spark, config, new RunLayout(dir.resolve("linear")), "test");
    assertTrue(r.eval().returnGap() <= 0.05, "policy return " + r.eval().policy().meanReturn()
        + " vs expert " + r.eval().expert().meanReturn());
    assertTrue(r.train().finalHeldoutLoss() < r.train().epochs().get(0).heldoutLoss(), "held-out loss must fall");
  }

  private static void assertRunFiles(RunLayout layout, int epochs) {
    JsonNode manifest = Json.read(layout.manifest(), JsonNode.class);
    assertEquals("test", manifest.path("gitRevision").asText());
    assertEquals(64, manifest.path("config").path("quantize").path("numBins").asInt());
    assertEquals(64, manifest.path("outputSha256").path("dataset").asText().length());
    JsonNode metrics = Json.read(layout.metrics(), JsonNode.class);
    assertEquals(epochs, metrics.path("train").path("epochs").size());
    assertTrue(Files.isDirectory(layout.checkpoints().resolve(String.format("epoch-%04d", epochs))));
    assertTrue(Files.isRegularFile(layout.eval().resolve("report.json")));
    Policy policy = PolicyFiles.load(layout.policy());
    assertEquals(18, policy.info().stateDim());
    assertEquals(3, policy.act(new double[18]).length);
  }
}
