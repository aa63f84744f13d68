package dev.quill.train;

import java.io.Serializable;

/**
 * Measurements of one training epoch.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss the trainer's last reported training loss (mean over heads, nats)
 * @param heldoutLoss log-loss on the held-out examples after the epoch, or NaN if there are none
 * @param seconds wall time of the epoch's fitting (no evaluation)
 * @param examples examples fitted in the epoch
 */
public record EpochStats(int epoch, double trainLoss, double heldoutLoss, double seconds, long examples) implements Serializable {

  /** Fitted examples per second. */
  public double examplesPerSecond() {
    return seconds > 0 ? examples / seconds : 0;
  }
}
