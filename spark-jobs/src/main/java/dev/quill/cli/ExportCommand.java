package dev.quill.cli;

import dev.quill.export.ExportOptions;
import dev.quill.export.OnnxExporter;
import dev.quill.export.PolicyExporter;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.runtime.ArtifactFormat;
import dev.quill.runtime.DenseLayer;
import dev.quill.runtime.PolicyModel;
import dev.quill.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quill export}: a policy directory becomes a runtime artifact ({@code .qpol}). No Spark. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a policy directory to a compact artifact for the dependency-free runtime (int8, packed int4 or fp32 weights).")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--policy", paramLabel = "DIR", required = true, description = "policy directory (e.g. runs/demo/policy or runs/demo/qat/qat-w4)")
  Path policy;

  @Option(names = "--out", paramLabel = "FILE", description = "artifact file (default: <policy>-<weights>.qpol next to the directory)")
  Path out;

  @Option(names = "--weights", description = "auto (as trained: QAT layers int4/int8, float layers fp32), fp32, int8 or int4 (default: auto)")
  String weights = "auto";

  @Option(names = "--onnx", paramLabel = "FILE", description = "also write the network as ONNX (QDQ for int8/int4 layers)")
  Path onnx;

  @Option(names = "--per-tensor", description = "one scale per tensor (default: per output channel) when float layers are quantized here")
  boolean perTensor;

  @Override
  public Integer call() {
    ExportOptions options;
    try {
      options = new ExportOptions(weights, !perTensor);
    } catch (RuntimeException e) {
      System.err.println("quill export: --" + e.getMessage());
      return ExitCodes.USAGE;
    }
    Path dir = policy.toAbsolutePath().normalize();
    Path file = out != null ? out : dir.resolveSibling(dir.getFileName() + "-" + weights + ".qpol");
    PolicyModel model;
    try {
      Policy p = PolicyFiles.load(dir);
      model = PolicyExporter.export(p, options);
    } catch (IllegalArgumentException e) {
      System.err.println("quill export: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    ArtifactFormat.write(model, file);
    if (onnx != null) {
      AtomicFiles.writeBytes(onnx, OnnxExporter.toOnnx(model));
    }
    try {
      long size = Files.size(file);
      long zip = Files.size(dir.resolve(PolicyFiles.NETWORK));
      StringBuilder layers = new StringBuilder();
      for (DenseLayer l : model.trunk()) {
        layers.append(l.nIn()).append('x').append(l.nOut()).append(' ').append(l.format().name().toLowerCase());
        if (l.quantizer() != null) {
          layers.append(" + activations ").append(l.quantizer());
        }
        layers.append(", ");
      }
      System.out.printf("layers: %shead %s over %d tokens, tokenizer %s%n", layers, model.head().type(),
          model.head().numTokens(), model.decoder().type());
      System.out.printf("wrote %s: %,d bytes (network.zip: %,d bytes, %.1fx smaller)%n", file, size, zip, zip / (double) size);
      if (onnx != null) {
        System.out.printf("wrote %s: %,d bytes%n", onnx, Files.size(onnx));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ExitCodes.OK;
  }
}
