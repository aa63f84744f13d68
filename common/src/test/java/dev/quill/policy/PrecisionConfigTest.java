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

/** {@code train.precision}: the precision of the fused MLP step's matrix products. */
class PrecisionConfigTest {
  @Test
  void config_defaultsToFp32_readsBf16AndAuto_rejectsOthersNamingTheKey() {
    assertEquals("fp32", ConfigLoader.defaults().train().precision());
    assertEquals("bf16", ConfigLoader.load(null, List.of("train.precision=bf16")).train().precision());
    assertEquals("auto", ConfigLoader.load(null, List.of("train.precision=auto")).train().precision());
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, List.of("train.precision=fp16")));
    assertEquals("train.precision", e.key());
    assertTrue(e.getMessage().contains("fp16") && e.getMessage().contains("fp32") && e.getMessage().contains("bf16")
        && e.getMessage().contains("auto"), e.getMessage());
  }

  @Test
  void config_bf16WithConvNetwork_isRefusedNamingTheKey_autoIsAccepted() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, List.of("train.network=conv", "train.precision=bf16")));
    assertEquals("train.precision", e.key());
    assertTrue(e.getMessage().contains("applies to mlp networks"), e.getMessage());
    assertEquals("auto", ConfigLoader.load(null, List.of("train.network=conv", "train.precision=auto")).train().precision());
  }

  @Test
  void json_leavesFp32Out_soOlderFilesAndPoliciesReadTheSame() {
    TrainConfig fp32 = new TrainConfig("factorized", List.of(8), 1, 64, 1e-3, 5, "fused");
    String json = Json.write(fp32);
    assertFalse(json.contains("precision"), json);
    assertEquals(fp32, Json.parse(json, TrainConfig.class));
    TrainConfig bf16 = fp32.withPrecision("bf16");
    String bf16Json = Json.write(bf16);
    assertTrue(bf16Json.contains("\"precision\" : \"bf16\""), bf16Json);
    assertEquals(bf16, Json.parse(bf16Json, TrainConfig.class));
    assertEquals("bf16", bf16.withEpochs(3).withBatchScope("global").withInit("torch").precision(), "copies keep it");
  }
}
