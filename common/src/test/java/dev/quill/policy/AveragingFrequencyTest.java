package dev.quill.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quill.config.ConfigException;
import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class AveragingFrequencyTest {

  @Test
  void auto_averagesAfterTheExamplesPerLane_butAtLeastTwicePerEpoch() {
    // The bench model on two 1-lane workers: 100,000 examples each, batch 256 -> 391 minibatches per epoch.
    // 32768 / 256 = 128 minibatches per round; half an epoch would be 196.
    assertEquals(128, AveragingFrequency.resolve(AveragingFrequency.AUTO, 391, 1, 256));
    // The demo on two 1-lane workers: 8,530 examples each, batch 64 -> 134 minibatches; 32768 / 64 = 512 is more than
    // half an epoch, so two rounds per epoch of 67 minibatches.
    assertEquals(67, AveragingFrequency.resolve(AveragingFrequency.AUTO, 134, 1, 64));
    // Four lanes fit four times the examples per round: 4 * 32768 / 256 = 512.
    assertEquals(512, AveragingFrequency.resolve(AveragingFrequency.AUTO, 10_000, 4, 256));
    // Rounded up: 32768 / 100 = 327.68 -> 328; an odd epoch of 9 minibatches -> rounds of 5.
    assertEquals(328, AveragingFrequency.resolve(AveragingFrequency.AUTO, 1_000, 1, 100));
    assertEquals(5, AveragingFrequency.resolve(AveragingFrequency.AUTO, 9, 1, 256));
    // A shard of one minibatch: every minibatch is a round.
    assertEquals(1, AveragingFrequency.resolve(AveragingFrequency.AUTO, 1, 8, 64));
    // A batch larger than the examples per lane still fits one minibatch per round.
    assertEquals(1, AveragingFrequency.resolve(AveragingFrequency.AUTO, 100, 1, 65_536));
  }

  @Test
  void fixedFrequency_isKept_andTrainingMastersReadAutoAsDl4jDefault() {
    assertEquals(5, AveragingFrequency.resolve(5, 391, 2, 256));
    assertEquals(1000, AveragingFrequency.resolve(1000, 3, 1, 256));
    assertEquals(5, AveragingFrequency.forTrainingMaster(AveragingFrequency.AUTO));
    assertEquals(20, AveragingFrequency.forTrainingMaster(20));
    assertThrows(IllegalArgumentException.class, () -> AveragingFrequency.resolve(AveragingFrequency.AUTO, 0, 1, 256));
    assertThrows(IllegalArgumentException.class, () -> AveragingFrequency.resolve(AveragingFrequency.AUTO, 10, 0, 256));
  }

  @Test
  void check_namesKeyValueAndAllowedValues() {
    AveragingFrequency.check("k", AveragingFrequency.AUTO);
    AveragingFrequency.check("k", 1);
    AveragingFrequency.check("k", 100_000);
    ConfigException e = assertThrows(ConfigException.class, () -> AveragingFrequency.check("k", -3));
    assertEquals("k must be auto or an integer in [1, 100000], got -3", e.getMessage());
    assertThrows(ConfigException.class, () -> AveragingFrequency.check("k", 100_001));
    assertThrows(ConfigException.class,
        () -> TrainConfig.mlp("factorized", List.of(8), 1, 32, 1e-3, -1, "auto"));
  }

  @Test
  void config_defaultsToAuto_readsAutoAndIntegers_writesAuto() {
    QuillConfig defaults = ConfigLoader.defaults();
    assertEquals(AveragingFrequency.AUTO, defaults.train().averagingFrequency());
    assertEquals(20, ConfigLoader.load(null, List.of("train.averagingFrequency=20")).train().averagingFrequency());
    assertEquals(AveragingFrequency.AUTO,
        ConfigLoader.load(null, List.of("train.averagingFrequency=auto")).train().averagingFrequency());
    assertEquals(7, ConfigLoader.load(null, List.of("train.averagingFrequency=\"7\"")).train().averagingFrequency());
    assertEquals("auto", ConfigLoader.toTree(defaults).path("train").path("averagingFrequency").asText());
    assertEquals(20, ConfigLoader.toTree(ConfigLoader.load(null, List.of("train.averagingFrequency=20")))
        .path("train").path("averagingFrequency").intValue());
  }

  @Test
  void config_rejectsZeroAndText_namingTheFullKey() {
    for (String bad : List.of("0", "fast", "100001", "-5", "2.5")) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ConfigLoader.load(null, List.of("train.averagingFrequency=" + bad)));
      assertEquals("train.averagingFrequency", e.key(), bad);
      assertEquals("train.averagingFrequency must be auto or an integer in [1, 100000], got " + bad, e.getMessage());
    }
  }
}
