package dev.quill.runtime;

/** How a dense layer's weight matrix is stored, with its code in the artifact. */
public enum WeightFormat {
  /** IEEE single precision, {@code nIn * nOut} floats; code 0. */
  FP32(0, 32),
  /** Signed bytes in [-127, 127] times a per-channel or per-tensor float scale; code 1. */
  INT8(1, 8),
  /** Signed 4-bit levels in [-8, 7] packed two per byte (see {@link DenseLayer}) times a scale; code 2. */
  INT4(2, 4);

  private final int code;
  private final int bits;

  WeightFormat(int code, int bits) {
    this.code = code;
    this.bits = bits;
  }

  /** Code stored in the artifact. */
  public int code() {
    return code;
  }

  /** Storage bits per weight. */
  public int bits() {
    return bits;
  }

  /** Parses {@code fp32}, {@code int8} or {@code int4} (case-insensitive). */
  public static WeightFormat parse(String name) {
    for (WeightFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("weight format must be one of fp32, int8, int4, got \"" + name + "\"");
  }

  /** The format of {@code code}; {@code source} names the artifact in the error. */
  public static WeightFormat ofCode(int code, String source) {
    for (WeightFormat f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    throw new IllegalArgumentException(source + ": unknown weight format code " + code + " (known: 0 fp32, 1 int8, 2 int4)");
  }
}
