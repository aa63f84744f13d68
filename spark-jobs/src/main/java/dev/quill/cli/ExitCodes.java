package dev.quill.cli;

/** Process exit codes an orchestrator can rely on. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** Unexpected failure (a bug or an environment problem); see the log. */
  public static final int FAILURE = 1;
  /** Invalid command line or configuration. */
  public static final int USAGE = 2;
  /** Invalid input data (nothing was written). */
  public static final int BAD_INPUT = 3;
  /** Training failed (diverged or an epoch failed); completed checkpoints are kept for {@code --resume}. */
  public static final int TRAINING_FAILED = 4;
  /** The pipeline finished but the promotion gate rejected the new policy; {@code models/current} is unchanged. */
  public static final int GATE_REJECTED = 5;

  private ExitCodes() {}
}
