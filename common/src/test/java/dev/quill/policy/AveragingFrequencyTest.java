package dev.quill.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.config.ConfigException;
import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class AveragingFrequencyTest {

  @Test
  void auto_splitsTheEpochIntoEqualRoundsOfAboutTheExamplesPerLane_atLeastTwo() {
    // The bench model on two 1-lane workers: 100,000 examples each, batch 256 -> 391 minibatches per epoch. The target
    // is 32768 / 256 = 128 minibatches; 391 / 128 = 3.05 -> 3 equal rounds of ceil(391 / 3) = 131 (no fourth round of 7).
    assertEquals(131, AveragingFrequency.resolve(AveragingFrequency.AUTO, 391, 1, 256));
    // The demo on two 1-lane workers: 135 minibatches of 64; the target 32768 / 64 = 512 exceeds the epoch, so the
    // minimum of two rounds: 68 (and 67 for 134).
    assertEquals(68, AveragingFrequency.resolve(AveragingFrequency.AUTO, 135, 1, 64));
    assertEquals(67, AveragingFrequency.resolve(AveragingFrequency.AUTO, 134, 1, 64));
    // Four lanes fit four times the examples: target 4 * 32768 / 256 = 512; 10,000 / 512 -> 19 rounds of 527.
    assertEquals(527, AveragingFrequency.resolve(AveragingFrequency.AUTO, 10_000, 4, 256));
    // A target rounded up (32768 / 100 = 327.68 -> 328): 1,000 / 328 -> 3 rounds of 334.
    assertEquals(334, AveragingFrequency.resolve(AveragingFrequency.AUTO, 1_000, 1, 100));
    // An epoch that is an exact multiple of the target: 1,280 / 128 = 10 rounds of 128.
    assertEquals(128, AveragingFrequency.resolve(AveragingFrequency.AUTO, 1_280, 1, 256));
    // An odd short epoch: two rounds, 5 + 4.
    assertEquals(5, AveragingFrequency.resolve(AveragingFrequency.AUTO, 9, 1, 256));
    // A shard of one minibatch: one round of it.
    assertEquals(1, AveragingFrequency.resolve(AveragingFrequency.AUTO, 1, 8, 64));
    // A batch larger than the examples per lane: a round per minibatch.
    assertEquals(1, AveragingFrequency.resolve(AveragingFrequency.AUTO, 100, 1, 65_536));
  }

  @Test
  void auto_runsAtLeastTwoEqualRoundsPerEpoch_forEveryShardSize() {
    for (int lanes = 1; lanes <= 8; lanes *= 2) {
      for (int batch : new int[] {32, 64, 256, 1024}) {
        long target = (32_768L * lanes + batch - 1) / batch;
        for (long m = 2; m <= 5_000; m += 7) {
          int f = AveragingFrequency.resolve(AveragingFrequency.AUTO, m, lanes, batch);
          long rounds = (m + f - 1) / f;
          assertTrue(rounds >= 2, "m=" + m + " lanes=" + lanes + " batch=" + batch + ": " + rounds + " round(s)");
          // Equal rounds: the last is shorter than the others by fewer minibatches than there are rounds.
          long last = m - (rounds - 1) * f;
          assertTrue(last >= 1 && f - last < rounds, "m=" + m + " f=" + f + " last round " + last);
          // Never more rounds than the target asks for, beyond the minimum of two.
          assertTrue(rounds <= Math.max(2, m / target), "m=" + m + " f=" + f + " target=" + target);
        }
      }
    }
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
