package dev.quill.cli;

import dev.quill.spark.bench.KMeansBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill bench-kmeans}. */
@Command(name = "bench-kmeans", mixinStandardHelpOptions = true,
    description = "k-means codebook fit (MLlib k-means|| init + Quill Lloyd) vs scikit-learn's Lloyd KMeans on the same actions.")
final class BenchKMeansCommand implements Callable<Integer> {
  @Option(names = "--peers", paramLabel = "DIR", description = "folder with peerdata.py and kmeans_sklearn.py (default: ../shared/peers)")
  Path peers = Path.of("../shared/peers");

  @Option(names = "--out", paramLabel = "DIR", description = "folder for data and JSON records (default: runs/bench-kmeans)")
  Path out = Path.of("runs/bench-kmeans");

  @Option(names = "--n", description = "action vectors (default: 1000000)")
  int n = 1_000_000;

  @Option(names = "--k", description = "centres (default: 256)")
  int k = 256;

  @Option(names = "--iterations", description = "Quill's maximum Lloyd iterations (default: 300, sklearn's max_iter)")
  int iterations = 300;

  @Option(names = "--tol", description = "Quill stops when the inertia improves by at most this fraction (default: 1e-4)")
  double tolerance = 1e-4;

  @Option(names = "--init-steps", description = "k-means|| rounds (MLlib's initializationSteps, default: 2)")
  int initSteps = 2;

  @Option(names = "--partitions", description = "Spark partitions of the data (default: 0 = the master's parallelism)")
  int partitions = 0;

  @Option(names = "--mllib-iterations", description = "also fit plain MLlib KMeans with this many iterations (default: 0 = skip)")
  int mllibIterations = 0;

  @Option(names = "--master", description = "Spark master for Quill (default: local[2])")
  String master = "local[2]";

  @Option(names = "--python", description = "Python with scikit-learn and numpy (default: /usr/bin/python3)")
  String python = "/usr/bin/python3";

  @Override
  public Integer call() {
    System.out.println(KMeansBench.run(new KMeansBench.Options(peers, out, n, k, iterations, tolerance, initSteps,
        partitions, mllibIterations, master, python)));
    return ExitCodes.OK;
  }
}
