package dev.quill.runtime;

/** Element-wise activation of a dense layer, with its code in the artifact. */
public enum Activation {
  /** {@code y = x}; code 0. */
  IDENTITY(0),
  /** {@code y = max(0, x)}; code 1. */
  RELU(1);

  private final int code;

  Activation(int code) {
    this.code = code;
  }

  /** Code stored in the artifact. */
  public int code() {
    return code;
  }

  /** The activation of {@code code}; {@code source} names the artifact in the error. */
  public static Activation ofCode(int code, String source) {
    for (Activation a : values()) {
      if (a.code == code) {
        return a;
      }
    }
    throw new IllegalArgumentException(source + ": unknown activation code " + code + " (known: 0 identity, 1 relu)");
  }
}
