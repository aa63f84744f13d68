package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.apache.spark.resource.ResourceProfile;
import org.junit.jupiter.api.Test;

class WorkerLanesTest {
  private static SparkConf conf(String master, String lanes) {
    SparkConf c = new SparkConf(false).setMaster(master);
    return lanes == null ? c : c.set(WorkerLanes.KEY, lanes);
  }

  @Test
  void autoIsTheCoresOfOneExecutor() {
    assertEquals(2, WorkerLanes.resolve(conf("local[2]", "auto"), null));
    assertEquals(1, WorkerLanes.resolve(conf("local", "auto"), null));
    assertEquals(3, WorkerLanes.resolve(conf("local[3, 4]", "auto"), null), "local[N, maxFailures]");
    assertEquals(Runtime.getRuntime().availableProcessors(), WorkerLanes.resolve(conf("local[*]", "auto"), null));
    assertEquals(4, WorkerLanes.resolve(conf("local-cluster[2, 4, 1024]", "auto"), null));
    assertEquals(8, WorkerLanes.resolve(conf("spark://h:7077", "auto").set("spark.executor.cores", "8"), null));
    assertEquals(1, WorkerLanes.resolve(conf("yarn", "auto"), null), "executor cores unknown to the driver");
  }

  @Test
  void withoutTheKeyOneLaneAndTaskCpusAboveOneWin() {
    assertEquals(1, WorkerLanes.resolve(conf("local[2]", null), null), "plain Spark contexts keep one averaged worker per core");
    assertEquals(3, WorkerLanes.resolve(conf("local[4]", "3"), null));
    assertEquals(2, WorkerLanes.resolve(conf("local[2]", "1").set("spark.task.cpus", "2"), null));
    assertEquals(2, WorkerLanes.resolve(conf("local[2]", null).set("spark.task.cpus", "2"), null));
  }

  @Test
  void moreLanesThanAClusterExecutorHasIsAnErrorNamingBothNumbers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerLanes.resolve(conf("local-cluster[2, 1, 1024]", "2"), null));
    assertTrue(e.getMessage().startsWith("spark.workerLanes=2 is more than the 1 cores of an executor"), e.getMessage());
    assertEquals(4, WorkerLanes.resolve(conf("local[2]", "4"), null), "a local master only oversubscribes");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> WorkerLanes.resolve(conf("local[2]", "many"), null));
    assertEquals("spark.workerLanes must be a positive integer or auto, got many", bad.getMessage());
  }

  @Test
  void theJobsSettingAppliesWhereTheSparkConfigurationNamesNone() {
    assertEquals(2, WorkerLanes.resolve(conf("local[2]", null), "auto"), "a job run in a caller's session");
    assertEquals(1, WorkerLanes.resolve(conf("local[2]", "1"), "auto"), "spark-submit --conf / QuillSpark win");
    assertEquals(1, WorkerLanes.resolve(conf("local[2]", null), "1"));
  }

  @Test
  void workersAreTheSlotsDividedByLanes() {
    assertEquals(1, WorkerLanes.workers(2, 2));
    assertEquals(2, WorkerLanes.workers(4, 2));
    assertEquals(1, WorkerLanes.workers(2, 4));
    assertEquals(3, WorkerLanes.workers(7, 2));
  }

  @Test
  void onlyClusterMastersWithoutDynamicAllocationGetATaskProfile() {
    assertFalse(WorkerLanes.trainingProfile(conf("local[2]", "auto"), 2).isPresent(), "local mode has no profiles");
    assertFalse(WorkerLanes.trainingProfile(conf("local-cluster[1,2,1024]", "auto"), 1).isPresent());
    assertFalse(WorkerLanes.trainingProfile(conf("local-cluster[1,2,1024]", "auto").set("spark.task.cpus", "2"), 2)
        .isPresent(), "the tasks already claim the cores");
    assertFalse(WorkerLanes.trainingProfile(conf("spark://h:7077", "auto").set("spark.dynamicAllocation.enabled", "true"), 2)
        .isPresent());
    ResourceProfile p = WorkerLanes.trainingProfile(conf("spark://h:7077", "auto"), 4).orElseThrow();
    assertEquals(4.0, p.taskResources().get("cpus").get().amount());
  }
}
