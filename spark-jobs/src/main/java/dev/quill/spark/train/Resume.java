package dev.quill.spark.train;

import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.policy.TrainConfig;
import dev.quill.train.EpochStats;
import dev.quill.train.LocalTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Saving and restoring what {@code --resume} needs: the checkpoint's network and {@link TrainState}. */
final class Resume {
  private static final Logger LOG = LoggerFactory.getLogger(Resume.class);

  private Resume() {}

  /** The state after {@code epoch} completed epochs ({@code history} holds them all). */
  static TrainState state(int epoch, long seed, SparkPolicyTrainer trainer, long trainExamples, Map<String, String> inputs,
      TrainConfig train, List<EpochStats> history) {
    return new TrainState(TrainState.FORMAT, TrainState.FORMAT_VERSION, epoch, seed, LocalTrainer.epochSeed(seed, epoch + 1, 0),
        trainer.iterationCount(), trainExamples, epoch * trainExamples, inputs, train, history);
  }

  /**
   * Loads the newest checkpoint into {@code trainer} and returns the completed epochs' measurements;
   * an empty list (and a log line) when there is no checkpoint to resume from.
   *
   * @throws IllegalStateException when the checkpoint was made from other inputs, seed or training configuration
   */
  static List<EpochStats> restore(TrainCheckpoints checkpoints, SparkPolicyTrainer trainer, TrainConfig train, long seed,
      Map<String, String> inputs, long trainExamples) {
    Optional<Path> latest = checkpoints.latest();
    if (latest.isEmpty()) {
      LOG.info("--resume: no checkpoint with {} found, training from scratch", TrainState.FILE);
      return List.of();
    }
    Path dir = latest.get();
    TrainState s = TrainCheckpoints.state(dir);
    check(dir, "seed", s.seed(), seed);
    check(dir, "training examples per epoch", s.trainExamples(), trainExamples);
    check(dir, "input hashes", s.inputsSha256(), inputs);
    check(dir, "training configuration (apart from epochs)", TrainState.comparable(s.train()), TrainState.comparable(train));
    Policy saved = PolicyFiles.load(dir);
    if (saved.graph() != null) {
      check(dir, "network iteration count", (long) s.iterations(), (long) saved.graph().getIterationCount());
      trainer.setGraph(saved.graph());
    } else {
      check(dir, "network iteration count", (long) s.iterations(), (long) saved.network().getIterationCount());
      trainer.setNetwork(saved.network());
    }
    LOG.info("--resume: continuing after {} (epoch {}, {} examples seen, {} iterations)", dir.getFileName(), s.epoch(),
        s.examplesSeen(), s.iterations());
    return s.history();
  }

  /**
   * Initializes {@code trainer} from the network of policy directory {@code policyDir} when it exists and
   * has exactly the trainer's parameter shapes; logs and keeps the fresh initialization otherwise.
   */
  static void warmStart(SparkPolicyTrainer trainer, Path policyDir) {
    if (policyDir == null || !Files.isDirectory(policyDir)) {
      return;
    }
    Policy saved = PolicyFiles.load(policyDir);
    Map<String, INDArray> want = trainer.model().paramTable();
    Map<String, INDArray> have = saved.model().paramTable();
    boolean same = want.keySet().equals(have.keySet())
        && want.keySet().stream().allMatch(k -> Arrays.equals(want.get(k).shape(), have.get(k).shape()));
    if (!same) {
      LOG.warn("warm start: {} has another network shape than this configuration; training from a fresh initialization",
          policyDir);
      return;
    }
    if (saved.graph() != null && trainer.graph() != null) {
      trainer.setGraph(saved.graph());
    } else if (saved.graph() == null && trainer.network() != null) {
      trainer.setNetwork(saved.network());
    } else {
      LOG.warn("warm start: {} has another head than this configuration; training from a fresh initialization", policyDir);
      return;
    }
    LOG.info("warm start from {} ({} iterations)", policyDir, trainer.iterationCount());
  }

  private static void check(Path dir, String what, Object saved, Object now) {
    if (!saved.equals(now)) {
      throw new IllegalStateException("cannot resume from " + dir + ": its " + what + " (" + saved + ") differ from this run's ("
          + now + "); train from scratch (without --resume) or restore the inputs");
    }
  }
}
