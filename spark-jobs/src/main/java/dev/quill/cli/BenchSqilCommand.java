package dev.quill.cli;

import dev.quill.spark.bench.SqilBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill bench-sqil}. */
@Command(name = "bench-sqil", mixinStandardHelpOptions = true,
    description = "SIS scoring throughput vs the teacher's batched forward limit (Spark), and QAT vs FP training throughput.")
final class BenchSqilCommand implements Callable<Integer> {
  @Option(names = "--states", description = "states scored per timed pass (default: ${DEFAULT-VALUE})", defaultValue = "20000")
  int states;

  @Option(names = "--train-examples", description = "training examples per epoch (default: ${DEFAULT-VALUE})", defaultValue = "20000")
  int trainExamples;

  @Option(names = "--epochs", description = "timed training epochs (default: ${DEFAULT-VALUE})", defaultValue = "2")
  int epochs;

  @Option(names = "--master", description = "Spark master of the SIS measurement (default: ${DEFAULT-VALUE})", defaultValue = "local[2]")
  String master;

  @Option(names = "--image-examples", description = "examples per epoch of the lane-image conv training rows, batch 64 "
      + "(default: ${DEFAULT-VALUE})", defaultValue = "1280")
  int imageExamples;

  @Override
  public Integer call() {
    System.out.println(SqilBench.render(SqilBench.run(new SqilBench.Options(states, trainExamples, epochs, master,
        imageExamples))));
    return ExitCodes.OK;
  }
}
