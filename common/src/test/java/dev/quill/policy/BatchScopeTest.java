package dev.quill.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigException;
import dev.quill.config.ConfigLoader;
import dev.quill.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code train.batchScope}: what {@code train.batchSize} counts when several workers average. */
class BatchScopeTest {
  private static TrainConfig config(int batch, String scope) {
    return new TrainConfig("factorized", List.of(8), 1, batch, 1e-3, 5, "fused").withBatchScope(scope);
  }

  @Test
  void workerBatchSize_worker_isTheBatch_global_isItsShareRoundedUp() {
    assertEquals(256, config(256, "worker").workerBatchSize(2));
    assertEquals(128, config(256, "global").workerBatchSize(2));
    assertEquals(128, config(255, "global").workerBatchSize(2));
    assertEquals(3, config(7, "global").workerBatchSize(3));
    assertEquals(1, config(2, "global").workerBatchSize(5));
    assertEquals(64, config(64, "global").workerBatchSize(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(64, "global").workerBatchSize(0));
    assertEquals("workers must be >= 1, got 0", e.getMessage());
  }

  @Test
  void config_defaultsToWorker_readsGlobal_rejectsOthersNamingTheKey() {
    assertEquals("worker", ConfigLoader.defaults().train().batchScope());
    assertFalse(ConfigLoader.defaults().train().globalBatch());
    assertTrue(ConfigLoader.load(null, List.of("train.batchScope=global")).train().globalBatch());
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, List.of("train.batchScope=total")));
    assertEquals("train.batchScope", e.key());
    assertTrue(e.getMessage().contains("total") && e.getMessage().contains("worker") && e.getMessage().contains("global"),
        e.getMessage());
  }

  @Test
  void json_leavesTheDefaultOut_soOlderFilesAndPoliciesReadTheSame() {
    TrainConfig worker = config(64, "worker");
    String json = Json.write(worker);
    assertFalse(json.contains("batchScope"), json);
    assertEquals(worker, Json.parse(json, TrainConfig.class));
    TrainConfig global = config(64, "global");
    String globalJson = Json.write(global);
    assertTrue(globalJson.contains("\"batchScope\""), globalJson);
    assertEquals(global, Json.parse(globalJson, TrainConfig.class));
  }
}
