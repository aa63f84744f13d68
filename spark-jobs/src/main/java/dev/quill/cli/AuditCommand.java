package dev.quill.cli;

import dev.quill.config.QuillConfig;
import dev.quill.data.DatasetStats;
import dev.quill.quant.TokenizerFiles;
import dev.quill.spark.RunLayout;
import dev.quill.spark.audit.AuditJob;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code quill audit}. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Audit tokenizers on the training data (eps_q, dead codes, smoothness) and recommend one -> <run>/audit/.")
final class AuditCommand extends StageCommand {
  @Override
  String name() {
    return "audit";
  }

  @Override
  void run(SparkSession spark, QuillConfig config, RunLayout layout) {
    var configured = Files.exists(layout.tokenizer()) ? TokenizerFiles.read(layout.tokenizer()) : null;
    AuditJob.run(spark, config, layout.dataset(), DatasetStats.read(layout.stats()), configured, layout.audit());
  }
}
