package dev.quill.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quill.config.SparkConfig;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class QuillSparkTest {
  private static final SparkConfig CONFIG = new SparkConfig("local[2]", 4, 1, 1);

  @Test
  void localClusterExecutorsGetTheDriversOpenBlasKernelsOtherMastersDoNot() {
    SparkConf cluster = QuillSpark.configure(new SparkConf(false).setMaster("local-cluster[2,1,1024]"), CONFIG, "t", "SkylakeX");
    assertEquals("SkylakeX", cluster.get("spark.executorEnv.OPENBLAS_CORETYPE"));
    SparkConf remote = QuillSpark.configure(new SparkConf(false).setMaster("spark://host:7077"), CONFIG, "t", "SkylakeX");
    assertFalse(remote.contains("spark.executorEnv.OPENBLAS_CORETYPE"), "executors elsewhere may lack AVX-512");
    SparkConf unset = QuillSpark.configure(new SparkConf(false).setMaster("local-cluster[2,1,1024]"), CONFIG, "t", null);
    assertFalse(unset.contains("spark.executorEnv.OPENBLAS_CORETYPE"));
  }

  @Test
  void directResultsUpTo32MbUnlessTheUserSetIt() {
    assertEquals("32m", QuillSpark.configure(new SparkConf(false), CONFIG, "t", null).get("spark.task.maxDirectResultSize"));
    SparkConf mine = new SparkConf(false).set("spark.task.maxDirectResultSize", "4m");
    assertEquals("4m", QuillSpark.configure(mine, CONFIG, "t", null).get("spark.task.maxDirectResultSize"));
  }

  @Test
  void theConfigsMasterUnlessSparkSubmitGaveOneAndAnErrorWithoutEither() {
    assertEquals("local[2]", QuillSpark.configure(new SparkConf(false), CONFIG, "t", null).get("spark.master"));
    assertEquals("yarn", QuillSpark.configure(new SparkConf(false).setMaster("yarn"), CONFIG, "t", null).get("spark.master"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuillSpark.configure(new SparkConf(false), new SparkConfig("", 4, 1, 1), "t", null));
    assertEquals(true, e.getMessage().contains("spark.master"));
  }

  @Test
  void workerLanesClaimThatManyCoresPerTaskUnlessTheUserSetTaskCpus() {
    assertFalse(QuillSpark.configure(new SparkConf(false), CONFIG, "t", null).contains("spark.task.cpus"));
    SparkConfig lanes = new SparkConfig("local[2]", 1, 1, 2);
    assertEquals("2", QuillSpark.configure(new SparkConf(false), lanes, "t", null).get("spark.task.cpus"));
    SparkConf mine = new SparkConf(false).set("spark.task.cpus", "4");
    assertEquals("4", QuillSpark.configure(mine, lanes, "t", null).get("spark.task.cpus"));
  }

  @Test
  void workerLanesOutsideOneTo256AreRejectedNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkConfig("local[2]", 4, 1, 0));
    assertEquals(true, e.getMessage().contains("workerLanes"), e.getMessage());
  }
}
