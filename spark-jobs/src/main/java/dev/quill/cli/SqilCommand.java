package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.spark.RunLayout;
import dev.quill.spark.qat.Precision;
import dev.quill.spark.qat.SqilExperiment;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill experiment sqil}. */
@Command(name = "sqil", mixinStandardHelpOptions = true,
    description = "FP vs PTQ / QAT / QBC / SQIL students over tasks, precisions and seeds, evaluated closed-loop; "
        + "tables 1-2 as Markdown, CSV and PNG under <run-dir>/experiment-sqil/.")
final class SqilCommand extends StageCommand {
  @Option(names = "--task", paramLabel = "NAME[:KEY=VALUE...]",
      description = "task (repeatable; extra overrides select a variant, e.g. lane:task.observation=image); "
          + "default: the config's task.name")
  List<String> tasks = new ArrayList<>();

  @Option(names = "--precisions", split = ",", paramLabel = "W<b>[A<a>][-pt]",
      description = "precisions, default ${DEFAULT-VALUE}; -pt = per-tensor scales (ablation)",
      defaultValue = "W8,W4,W3,W2,W4A4")
  List<String> precisions;

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "seeds per task (default ${DEFAULT-VALUE})")
  int seeds;

  @Option(names = "--sample-states", paramLabel = "N", defaultValue = "20000",
      description = "dataset states on which discrepancies are measured (default ${DEFAULT-VALUE})")
  int sampleStates;

  @Option(names = "--quick", description = "small sizes (200 demos, 6 teacher epochs, 1 fine-tuning epoch, 20 eval episodes)")
  boolean quick;

  @Override
  String name() {
    return "experiment-sqil";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    List<String> overrides = new ArrayList<>(options.overrides);
    if (options.master != null) {
      overrides.add("spark.master=" + options.master);
    }
    SqilExperiment.Options opt = new SqilExperiment.Options(options.config, overrides,
        tasks.isEmpty() ? List.of(config.task().name()) : tasks,
        precisions.stream().map(Precision::parse).toList(), seeds, quick, sampleStates);
    SqilExperiment.run(spark, opt, layout.root(), PipelineCommand.gitRevision());
  }
}
