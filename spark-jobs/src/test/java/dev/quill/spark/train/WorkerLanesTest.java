package dev.quill.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.cluster.ExecutorInfo;
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
  void autoOnAClusterWithoutExecutorCores_usesTheSmallestRegisteredExecutor() {
    assertEquals(4, WorkerLanes.resolve(conf("spark://h:7077", "auto"), null, Optional.of(4)));
    assertEquals(8, WorkerLanes.resolve(conf("spark://h:7077", "auto").set("spark.executor.cores", "8"), null, Optional.of(4)),
        "the configuration's executor cores win");
    assertEquals(2, WorkerLanes.resolve(conf("local[2]", "auto"), null, Optional.of(16)), "local[N] is N");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerLanes.resolve(conf("spark://h:7077", "3"), null, Optional.of(2)));
    assertTrue(e.getMessage().startsWith("spark.workerLanes=3 is more than the 2 cores of an executor"), e.getMessage());
  }

  @Test
  void dynamicAllocation_autoIsOneLane_aNumberAboveOneIsRefused_taskCpusStillWork() {
    SparkConf dynamic = conf("yarn", "auto").set("spark.executor.cores", "4").set("spark.dynamicAllocation.enabled", "true");
    assertEquals(1, WorkerLanes.resolve(dynamic, null, Optional.of(4)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerLanes.resolve(dynamic.clone().set(WorkerLanes.KEY, "2"), null));
    assertEquals("spark.workerLanes=2 needs each training task to claim 2 cores, which Spark cannot schedule with "
        + "spark.dynamicAllocation.enabled=true: set spark.task.cpus=2 (every task then claims 2 cores), or "
        + "spark.workerLanes=1 or auto", e.getMessage());
    assertEquals(2, WorkerLanes.resolve(dynamic.clone().set("spark.task.cpus", "2"), null));
    assertEquals(2, WorkerLanes.resolve(conf("local[2]", "auto").set("spark.dynamicAllocation.enabled", "true"), null),
        "local masters have no dynamic allocation");
  }

  @Test
  void registeredExecutors_followsAddedAndRemovedExecutors() {
    RegisteredExecutors listener = new RegisteredExecutors(new SparkConf(false));
    assertEquals(Optional.empty(), RegisteredExecutors.smallest());
    listener.onExecutorAdded(added("1", 4));
    listener.onExecutorAdded(added("2", 2));
    assertEquals(Optional.of(2), RegisteredExecutors.smallest());
    listener.onExecutorRemoved(new SparkListenerExecutorRemoved(0L, "2", "lost"));
    assertEquals(Optional.of(4), RegisteredExecutors.smallest());
    listener.onApplicationEnd(new org.apache.spark.scheduler.SparkListenerApplicationEnd(0L));
    assertEquals(Optional.empty(), RegisteredExecutors.smallest(), "the application's executors end with it");
    listener.onExecutorAdded(added("3", 8));
    new RegisteredExecutors(new SparkConf(false));
    assertEquals(Optional.empty(), RegisteredExecutors.smallest(), "a new application starts with none");
  }

  private static SparkListenerExecutorAdded added(String id, int cores) {
    return new SparkListenerExecutorAdded(0L, id, new ExecutorInfo("host-" + id, cores,
        scala.collection.immutable.Map$.MODULE$.<String, String>empty()));
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
