package dev.quill.cli;

import dev.quill.export.InferenceBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill bench-inference}: inference latency and throughput of DL4J, the runtime and PyTorch. No Spark. */
@Command(name = "bench-inference", mixinStandardHelpOptions = true,
    description = "Single-state latency (median, p99) and batch-256 throughput: DL4J fp32, runtime fp32/int8/int4, ONNX Runtime fp32/QDQ int8, PyTorch eager; artifact sizes.")
final class BenchInferenceCommand implements Callable<Integer> {
  @Option(names = "--policy", paramLabel = "DIR", description = "policy directory (default: a random policy of the demo's shape, 18-256-256-3x256)")
  Path policy;

  @Option(names = "--iterations", description = "timed single-state calls per row (default: 20000)")
  int iterations = 20_000;

  @Option(names = "--python", description = "Python with torch and numpy for the PyTorch row; 'none' skips it (default: /usr/bin/python3)")
  String python = "/usr/bin/python3";

  @Option(names = "--out", paramLabel = "DIR", description = "folder for artifacts and the peer's files (default: runs/bench-inference)")
  Path out = Path.of("runs/bench-inference");

  @Override
  public Integer call() throws Exception {
    if (iterations < 100) {
      System.err.println("quill bench-inference: --iterations must be >= 100, got " + iterations);
      return ExitCodes.USAGE;
    }
    var options = new InferenceBench.Options(policy, iterations, "none".equals(python) ? null : python, out);
    var rows = new java.util.ArrayList<>(InferenceBench.run(options));
    rows.addAll(dev.quill.spark.bench.OrtInferenceBench.run(options));
    System.out.print(InferenceBench.table(rows));
    return ExitCodes.OK;
  }
}
