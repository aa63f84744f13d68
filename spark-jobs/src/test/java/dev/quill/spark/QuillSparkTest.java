package dev.quill.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quill.config.SparkConfig;
import dev.quill.spark.train.WorkerLanes;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class QuillSparkTest {
  private static final SparkConfig CONFIG = new SparkConfig("local[2]", 4, 1, "1");

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
        () -> QuillSpark.configure(new SparkConf(false), new SparkConfig("", 4, 1, "1"), "t", null));
    assertEquals(true, e.getMessage().contains("spark.master"));
  }

  @Test
  void workerLanesGoToTheTrainerAndNoTaskCpusAreClaimedForEveryStage() {
    SparkConf auto = QuillSpark.configure(new SparkConf(false), new SparkConfig("local[2]", 1, 1, "auto"), "t", null);
    assertEquals("auto", auto.get(WorkerLanes.KEY));
    assertFalse(auto.contains("spark.task.cpus"), "only the training stage claims the lanes' cores");
    assertEquals("1", QuillSpark.configure(new SparkConf(false), CONFIG, "t", null).get(WorkerLanes.KEY));
    SparkConf mine = new SparkConf(false).set(WorkerLanes.KEY, "4");
    assertEquals("4", QuillSpark.configure(mine, CONFIG, "t", null).get(WorkerLanes.KEY), "spark-submit --conf wins");
  }

  @Test
  void theRegisteredExecutorsListenerIsAddedOnceBesideTheUsersListeners() {
    String mine = dev.quill.spark.train.RegisteredExecutors.class.getName();
    assertEquals(mine, QuillSpark.configure(new SparkConf(false), CONFIG, "t", null).get("spark.extraListeners"));
    SparkConf users = new SparkConf(false).set("spark.extraListeners", "com.example.Audit");
    assertEquals("com.example.Audit," + mine, QuillSpark.configure(users, CONFIG, "t", null).get("spark.extraListeners"));
    SparkConf twice = QuillSpark.configure(QuillSpark.configure(new SparkConf(false), CONFIG, "t", null), CONFIG, "t", null);
    assertEquals(mine, twice.get("spark.extraListeners"));
  }

  @Test
  void workerLanesOtherThanAutoOrOneTo256AreRejectedNamingTheKey() {
    for (String bad : new String[] {"0", "257", "two", "-1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkConfig("local[2]", 4, 1, bad));
      assertEquals("workerLanes must be auto or an integer in [1, 256], got " + bad, e.getMessage());
    }
    assertEquals("auto", new SparkConfig("local[2]", 4, 1, " auto ").workerLanes());
    assertEquals("3", new SparkConfig("local[2]", 4, 1, "auto").withWorkerLanes(3).workerLanes());
  }

  @Test
  void executorsInJvmsOfTheirOwnGetTheVectorModuleBesideTheUsersOptions() {
    String key = "spark.executor.extraJavaOptions";
    for (String master : new String[] {"spark://host:7077", "local-cluster[2,1,1024]", "yarn", "k8s://https://k:6443"}) {
      SparkConf conf = QuillSpark.configure(new SparkConf(false).setMaster(master), CONFIG, "t", null);
      assertEquals("--add-modules jdk.incubator.vector", conf.get(key), master);
    }
    SparkConf users = new SparkConf(false).setMaster("spark://host:7077").set(key, "-XX:+UseG1GC -Dx=1 ");
    assertEquals("-XX:+UseG1GC -Dx=1 --add-modules jdk.incubator.vector",
        QuillSpark.configure(users, CONFIG, "t", null).get(key));
    SparkConf twice = QuillSpark.configure(QuillSpark.configure(new SparkConf(false).setMaster("yarn"), CONFIG, "t", null),
        CONFIG, "t", null);
    assertEquals("--add-modules jdk.incubator.vector", twice.get(key), "added once");
    SparkConf named = new SparkConf(false).setMaster("yarn").set(key, "--add-modules=jdk.incubator.vector");
    assertEquals("--add-modules=jdk.incubator.vector", QuillSpark.configure(named, CONFIG, "t", null).get(key));
  }

  @Test
  void theDriversJvmAndAnOptOutKeepTheExecutorsOptionsAndABadValueIsRejected() {
    String key = "spark.executor.extraJavaOptions";
    assertFalse(QuillSpark.configure(new SparkConf(false), CONFIG, "t", null).contains(key), "local[2]: the driver's JVM");
    assertFalse(QuillSpark.configure(new SparkConf(false).setMaster("local"), CONFIG, "t", null).contains(key));
    SparkConf off = new SparkConf(false).setMaster("spark://host:7077").set(QuillSpark.VECTOR_MODULE_KEY, "false")
        .set(key, "-Dx=1");
    assertEquals("-Dx=1", QuillSpark.configure(off, CONFIG, "t", null).get(key));
    SparkConf bad = new SparkConf(false).setMaster("yarn").set(QuillSpark.VECTOR_MODULE_KEY, "yes");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuillSpark.configure(bad, CONFIG, "t", null));
    assertEquals("spark.quill.executorVectorModule must be true or false, got 'yes'", e.getMessage());
  }
}
