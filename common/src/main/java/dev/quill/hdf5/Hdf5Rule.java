package dev.quill.hdf5;

/** The rules an HDF5 file or episode can break before its frames reach the shared validation. */
public enum Hdf5Rule {
  /** The file cannot be opened or a dataset cannot be decoded (truncated, corrupted, unsupported filter). */
  UNREADABLE_FILE("unreadable_file", "cannot be read as HDF5"),
  /** A required dataset or group is absent. */
  MISSING_KEY("missing_key", "is missing"),
  /** A dataset has another number of dimensions than the layout prescribes. */
  WRONG_RANK("wrong_rank", "has the wrong rank"),
  /** A dataset does not hold numbers (or booleans for flags). */
  WRONG_DTYPE("wrong_dtype", "has an unusable data type"),
  /** Datasets of one episode disagree on the number of steps. */
  LENGTH_MISMATCH("length_mismatch", "has a length that disagrees with the actions"),
  /** An episode without any step. */
  EMPTY_EPISODE("empty_episode", "has no frames"),
  /** The layout was not recognized or a named split does not exist. */
  UNKNOWN_LAYOUT("unknown_layout", "is not a D4RL, Minari or robomimic file");

  private final String id;
  private final String description;

  Hdf5Rule(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** Rule name as reported. */
  public String id() {
    return id;
  }

  /** What breaking the rule means, as a predicate phrase. */
  public String description() {
    return description;
  }
}
