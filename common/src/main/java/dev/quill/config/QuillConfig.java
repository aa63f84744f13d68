package dev.quill.config;

import dev.quill.eval.EvalConfig;
import dev.quill.nn.qat.QatConfig;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.QuantizeConfig;
import dev.quill.saliency.SaliencyConfig;
import dev.quill.quant.audit.AuditConfig;
import dev.quill.task.TaskConfig;

/**
 * The whole configuration of a Quill run: one YAML document whose sections configure the stages.
 * Every command reads the same document and uses its own section; {@code --set key=value} overrides
 * any key by its dotted path. Defaults live in {@code dev/quill/config/defaults.yaml}.
 *
 * @param name run name; the run directory is {@code <runsDir>/<name>}
 * @param seed master seed from which every stage derives its own seeds, in [0, 2^53]
 * @param runsDir directory that holds run directories
 * @param spark Spark session settings
 * @param task the built-in task and its demonstrations
 * @param ingest validation and split of demonstrations
 * @param quantize the action tokenizer
 * @param audit the quantizer audit ({@code quill audit})
 * @param train the policy network and its training
 * @param eval closed-loop evaluation
 * @param dynamics the token-conditioned dynamics model of model-based deployment ({@code quill dynamics})
 * @param saliency saliency scores of states (SQIL)
 * @param qat low-bit students of the trained policy (PTQ, QAT, QBC, SQIL)
 * @param retrain warm start and promotion gate of scheduled pipeline runs
 */
public record QuillConfig(
    String name,
    long seed,
    String runsDir,
    SparkConfig spark,
    TaskConfig task,
    IngestConfig ingest,
    QuantizeConfig quantize,
    AuditConfig audit,
    TrainConfig train,
    EvalConfig eval,
    dev.quill.dynamics.DynamicsConfig dynamics,
    SaliencyConfig saliency,
    QatConfig qat,

    RetrainConfig retrain) implements java.io.Serializable {

  /** Validates the top-level keys; sections validate themselves. */
  public QuillConfig {
    Checks.nonBlank("name", name);
    Checks.check(name.matches("[A-Za-z0-9._-]+"), "name",
        "name must contain only letters, digits, '.', '_' and '-', got \"" + name + "\"");
    Checks.inRange("seed", seed, 0, 1L << 53);
    Checks.nonBlank("runsDir", runsDir);
    Checks.present("spark", spark);
    Checks.present("task", task);
    Checks.present("ingest", ingest);
    Checks.present("quantize", quantize);
    Checks.present("audit", audit);
    Checks.present("train", train);
    Checks.present("eval", eval);
    Checks.present("dynamics", dynamics);
    Checks.present("saliency", saliency);
    Checks.present("qat", qat);
    Checks.present("retrain", retrain);
  }
}
