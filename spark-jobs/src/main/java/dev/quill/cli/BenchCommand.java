package dev.quill.cli;

import dev.quill.policy.AveragingFrequency;
import dev.quill.spark.bench.BenchRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill bench}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Training throughput of the default model: PyTorch peer vs Quill single JVM, local[1], local[2].")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--peers", paramLabel = "DIR", description = "folder with peerdata.py and bc_torch.py (default: ../shared/peers)")
  Path peers = Path.of("../shared/peers");

  @Option(names = "--out", paramLabel = "DIR", description = "folder for data and JSON records (default: runs/bench)")
  Path out = Path.of("runs/bench");

  @Option(names = "--n", description = "training examples (default: 200000)")
  int n = 200_000;

  @Option(names = "--epochs", description = "epochs (default: 3)")
  int epochs = 3;

  // Commas inside brackets belong to the master: local-cluster[1,2,3072] is one mode.
  @Option(names = "--modes", split = ",(?![^\\[\\]]*\\])",
      description = "Quill modes: dl4j, fused-1t, fused-1t-vec, fused-1t-cpu, single, lanes-adam-copies, lanes, or Spark "
          + "masters (default: dl4j,fused-1t,fused-1t-vec,fused-1t-cpu,single,lanes-adam-copies,lanes,local[1],local[2],"
          + "local[2]-lanes; also local-cluster[W,C,M] for executors in JVMs of their own); a -lanes master runs one fused "
          + "worker per executor with a lane per core; the first three keep "
          + "the machine's OpenBLAS kernels, the others run with the kernels Quill chooses for the CPU; the rows up to "
          + "lanes-adam-copies use the plain Adam loops, lanes and the Spark rows the one-pass Adam; a -bf16 suffix after "
          + "any other (lanes-bf16, local[2]-bf16, local[2]-global-bf16) multiplies in bf16 (train.precision: bf16), and "
          + "the default adds lanes-bf16 and local[2]-bf16 on CPUs with AVX-512 BF16 or AMX")
  List<String> modes = defaultModes();

  /** The default rows: every lever's row, the Spark rows, and on CPUs that multiply bf16 natively the bf16 rows. */
  static List<String> defaultModes() {
    List<String> m = new java.util.ArrayList<>(List.of("dl4j", "fused-1t", "fused-1t-vec", "fused-1t-cpu", "single",
        "lanes-adam-copies", "lanes", "local[1]", "local[2]", "local[2]-lanes"));
    if (dev.quill.train.MatmulPrecision.bf16Native()) {
      m.addAll(List.of("lanes-bf16", "local[2]-bf16"));
    }
    return List.copyOf(m);
  }

  @Option(names = "--python", description = "Python with torch and numpy (default: /usr/bin/python3)")
  String python = "/usr/bin/python3";

  @Option(names = "--averaging-frequency", description = "minibatches per worker between averages in Spark rows with several "
      + "workers: auto (train.averagingFrequency's rule, the default since the tenth round) or an integer in [1, 100000]")
  String averagingFrequency = AveragingFrequency.AUTO_TEXT;

  @Option(names = "--repeat", description = "rounds of runs, each running the peers and every mode once in the same order; "
      + "the table shows each row's median and range, and ratios as medians of the rounds' paired ratios (default: 1)")
  int repeat = 1;

  @Override
  public Integer call() {
    System.out.println(BenchRunner.run(new BenchRunner.Options(peers, out, n, epochs, modes, python,
        AveragingFrequency.parse("--averaging-frequency", averagingFrequency),
        repeat)));
    return ExitCodes.OK;
  }
}
