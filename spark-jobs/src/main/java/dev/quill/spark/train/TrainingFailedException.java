package dev.quill.spark.train;

/**
 * Training did not produce a usable policy: a loss became NaN or infinite, or an epoch failed.
 * {@code quill} exits with {@code ExitCodes.TRAINING_FAILED}; completed checkpoints are kept.
 */
public final class TrainingFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be {@code null}). */
  public TrainingFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
