package dev.quill.cli;

import dev.quill.config.ConfigLoader;
import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command takes: the YAML config, {@code --set} overrides, the run directory, the master. */
public final class RunOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config (default: built-in defaults, see conf/demo.yaml)")
  Path config;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "override a config key by its dotted path, e.g. --set train.epochs=5 (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--run-dir", paramLabel = "DIR", description = "run directory (default: <runsDir>/<name>)")
  Path runDir;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master, shorthand for --set spark.master=URL")
  String master;

  /** The configuration after defaults, file and overrides. */
  QuillConfig load() {
    List<String> all = new ArrayList<>(overrides);
    if (master != null) {
      all.add("spark.master=" + master);
    }
    return ConfigLoader.load(config, all);
  }

  /** The run directory layout. */
  RunLayout layout(QuillConfig c) {
    return new RunLayout(runDir != null ? runDir : Path.of(c.runsDir(), c.name()));
  }
}
