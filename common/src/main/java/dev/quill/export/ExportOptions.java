package dev.quill.export;

import dev.quill.config.Checks;
import java.util.List;

/**
 * How {@link PolicyExporter} stores weights.
 *
 * @param weights {@code auto} (each layer as trained: int4 for QAT layers of at most 4 bits, int8 for at most
 *     8 bits, fp32 for float layers), {@code fp32} (float weights; QAT layers' fake-quantized values), or
 *     {@code int8} / {@code int4} (every layer; float layers are post-training quantized to the storage's bits,
 *     QAT layers keep their trained grid, which must fit the storage)
 * @param perChannel scales per output channel (else per tensor) for post-training quantized float layers;
 *     QAT layers keep their trained granularity
 */
public record ExportOptions(String weights, boolean perChannel) {
  /** Allowed values of {@link #weights()}. */
  public static final List<String> WEIGHTS = List.of("auto", "fp32", "int8", "int4");

  /** Validates the options. */
  public ExportOptions {
    Checks.oneOf("weights", weights, WEIGHTS);
  }
}
