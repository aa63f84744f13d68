package dev.quill.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SparkMastersTest {
  @Test
  void localMastersRunTheExecutorInTheDriversJvm() {
    for (String local : new String[] {"local", "local[2]", "local[*]", "local[ 4 ]", "local[2,3]", "local[*, 2]"}) {
      assertTrue(SparkMasters.isLocal(local), local);
    }
    for (String other : new String[] {"local-cluster[2,1,1024]", "spark://h:7077", "yarn", "k8s://https://k:6443"}) {
      assertFalse(SparkMasters.isLocal(other), other);
    }
    assertEquals(Optional.of(1), SparkMasters.localCores("local"));
    assertEquals(Optional.of(3), SparkMasters.localCores("local[3, 2]"));
    assertEquals(Optional.of(Runtime.getRuntime().availableProcessors()), SparkMasters.localCores("local[*]"));
    assertEquals(Optional.empty(), SparkMasters.localCores("yarn"));
  }

  @Test
  void localClusterMastersNameTheirWorkersCoresAndMemory() {
    assertEquals(Optional.of(new SparkMasters.LocalCluster(2, 1, 1024)), SparkMasters.localCluster("local-cluster[2,1,1024]"));
    assertEquals(Optional.of(new SparkMasters.LocalCluster(1, 2, 3072)),
        SparkMasters.localCluster("local-cluster[ 1 , 2 , 3072 ]"));
    assertEquals(Optional.empty(), SparkMasters.localCluster("local-cluster[2,1]"));
    assertEquals(Optional.empty(), SparkMasters.localCluster("local[2]"));
  }
}
