package dev.quill.cli;

import dev.quill.policy.AveragingFrequency;
import dev.quill.spark.bench.BenchTraining;
import dev.quill.util.Json;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill bench-worker}: one benchmark row in its own JVM (started by {@code quill bench}). */
@Command(name = "bench-worker", hidden = true, description = "One benchmark measurement (used by quill bench).")
final class BenchWorkerCommand implements Callable<Integer> {
  @Option(names = "--mode", required = true, description = "single, or a Spark master such as local[2]")
  String mode;

  @Option(names = "--train", required = true)
  Path train;

  @Option(names = "--heldout", required = true)
  Path heldout;

  @Option(names = "--epochs")
  int epochs = 3;

  @Option(names = "--averaging-frequency")
  String averagingFrequency = AveragingFrequency.AUTO_TEXT;

  @Option(names = "--batch", description = "minibatch size (per worker for the Spark rows); default 256")
  int batch = 256;

  @Option(names = "--json", required = true)
  Path json;

  @Override
  public Integer call() {
    Map<String, Object> record = BenchTraining.run(mode, train, heldout, epochs, 256, 256, batch,
        AveragingFrequency.parse("--averaging-frequency", averagingFrequency), 0);
    Json.writeFile(json, record);
    return ExitCodes.OK;
  }
}
