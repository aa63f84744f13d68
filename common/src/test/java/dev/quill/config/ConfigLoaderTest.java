package dev.quill.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void defaults_areValidAndDocumented() {
    QuillConfig c = ConfigLoader.defaults();
    assertEquals("demo", c.name());
    assertEquals(256, c.quantize().numBins());
    assertEquals(List.of(256, 256), c.train().hidden());
    assertEquals("local[2]", c.spark().master());
  }

  @Test
  void file_thenOverrides_mergeInOrder(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("run.yaml");
    Files.writeString(f, "name: mine\ntrain:\n  epochs: 3\n  hidden: [64]\ntask:\n  name: linear\n");
    QuillConfig c = ConfigLoader.load(f, List.of("train.epochs=5", "quantize.bounds=q01q99", "train.hidden=[32, 16]"));
    assertEquals("mine", c.name());
    assertEquals(5, c.train().epochs());
    assertEquals(List.of(32, 16), c.train().hidden());
    assertEquals("q01q99", c.quantize().bounds());
    assertEquals("linear", c.task().name());
    assertEquals(64, c.train().batchSize());
  }

  @Test
  void outOfRange_namesFullKeyValueAndRange() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("quantize.numBins=1")));
    assertEquals("quantize.numBins must be in [2, 65536], got 1", e.getMessage());
    assertEquals("quantize.numBins", e.key());
  }

  @Test
  void unknownKey_listsAllowedKeys() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("train.epocs=3")));
    assertTrue(e.getMessage().startsWith("unknown key train.epocs; allowed keys here: [head, hidden, epochs"), e.getMessage());
  }

  @Test
  void unknownKeyInFile_isRejected(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("run.yaml");
    Files.writeString(f, "eval:\n  episodez: 3\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, List.of()));
    assertTrue(e.getMessage().startsWith("unknown key eval.episodez"), e.getMessage());
  }

  @Test
  void wrongType_namesKeyAndValue() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("train.epochs=many")));
    assertTrue(e.getMessage().startsWith("train.epochs must be of type int"), e.getMessage());
    assertTrue(e.getMessage().contains("many"), e.getMessage());
  }

  @Test
  void enumValue_namesAllowedValues() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("task.name=cartpole")));
    assertEquals("task.name must be one of [linear, linear-unstable, reach, scalar-trap, lane], got cartpole", e.getMessage());
  }

  @Test
  void listElement_outOfRange_namesIndex() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("train.hidden=[64, 0]")));
    assertEquals("train.hidden[1] must be in [1, 65536], got 0", e.getMessage());
  }

  @Test
  void malformedOverride_isExplained() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("train.epochs")));
    assertTrue(e.getMessage().contains("--set expects key=value"), e.getMessage());
  }

  @Test
  void missingFile_namesPath(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml"), List.of()));
    assertTrue(e.getMessage().contains("nope.yaml does not exist"), e.getMessage());
  }

  @Test
  void toYaml_roundTrips(@TempDir Path dir) throws IOException {
    QuillConfig c = ConfigLoader.load(null, List.of("seed=99", "train.hidden=[8]"));
    Path f = dir.resolve("back.yaml");
    Files.writeString(f, ConfigLoader.toYaml(c));
    assertEquals(c, ConfigLoader.load(f, List.of()));
  }
}
