package dev.quill.hdf5;

/** A broken format rule found while reading; turned into a {@link dev.quill.data.Finding} by the caller. */
final class FormatProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Hdf5Rule rule;
  private final String key;

  FormatProblem(Hdf5Rule rule, String key, String detail) {
    super(detail);
    this.rule = rule;
    this.key = key;
  }

  Hdf5Rule rule() {
    return rule;
  }

  String key() {
    return key;
  }
}
