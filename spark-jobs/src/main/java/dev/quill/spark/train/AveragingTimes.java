package dev.quill.spark.train;

/**
 * Where the time of the {@code fused} approach's parameter-averaging rounds went, summed over all rounds
 * since the trainer was built (README, Performance: the breakdown of the Spark overhead).
 *
 * @param rounds averaging rounds run
 * @param driverSeconds driver wall time outside the Spark jobs: copying parameters and Adam state out of
 *     the network, broadcasting them, averaging the workers' sums and copying the result back
 * @param jobSeconds driver wall time inside the rounds' Spark jobs (scheduling, the workers' rounds,
 *     task results, the tree reduction)
 * @param workerRounds rounds run by workers, summed over workers (a round with two workers counts 2)
 * @param workerFitSeconds time the workers spent in their fused steps, summed over workers
 * @param workerCopySeconds time the workers spent copying the broadcast state into their network and
 *     their result out of it, summed over workers
 * @param stateKept rounds that sent no state, because the one worker's network already held the driver's
 *     (a one-worker round's result is the driver's next state)
 */
public record AveragingTimes(long rounds, double driverSeconds, double jobSeconds, long workerRounds,
    double workerFitSeconds, double workerCopySeconds, long stateKept) {

  /** No rounds yet. */
  public static final AveragingTimes NONE = new AveragingTimes(0, 0, 0, 0, 0, 0, 0);

  /**
   * Seconds of the jobs not spent in a worker's steps or copies, with the workers' time counted once per
   * round (their mean, as they run in parallel): Spark's scheduling, task (de)serialization, result
   * transfer, the tree reduction and waiting for the slower worker.
   */
  public double sparkSeconds() {
    if (workerRounds == 0) {
      return jobSeconds;
    }
    double perRound = rounds / (double) workerRounds;
    return jobSeconds - (workerFitSeconds + workerCopySeconds) * perRound;
  }

  /** This plus {@code o}, field by field. */
  AveragingTimes plus(AveragingTimes o) {
    return new AveragingTimes(rounds + o.rounds, driverSeconds + o.driverSeconds, jobSeconds + o.jobSeconds,
        workerRounds + o.workerRounds, workerFitSeconds + o.workerFitSeconds, workerCopySeconds + o.workerCopySeconds,
        stateKept + o.stateKept);
  }
}
