package dev.quill.spark.train;

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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
    MultiLayerNetwork net = trainer.network();
    return new TrainState(TrainState.FORMAT, TrainState.FORMAT_VERSION, epoch, seed, LocalTrainer.epochSeed(seed, epoch + 1, 0),
        net.getIterationCount(), trainExamples, epoch * trainExamples, inputs, train, history);
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
    MultiLayerNetwork net = PolicyFiles.load(dir).network();
    check(dir, "network iteration count", (long) s.iterations(), (long) net.getIterationCount());
    trainer.setNetwork(net);
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
    MultiLayerNetwork net = PolicyFiles.load(policyDir).network();
    Map<String, INDArray> want = trainer.network().paramTable();
    Map<String, INDArray> have = net.paramTable();
    boolean same = want.keySet().equals(have.keySet())
        && want.keySet().stream().allMatch(k -> Arrays.equals(want.get(k).shape(), have.get(k).shape()));
    if (!same) {
      LOG.warn("warm start: {} has another network shape than this configuration; training from a fresh initialization",
          policyDir);
      return;
    }
    trainer.setNetwork(net);
    LOG.info("warm start from {} ({} iterations)", policyDir, net.getIterationCount());
  }

  private static void check(Path dir, String what, Object saved, Object now) {
    if (!saved.equals(now)) {
      throw new IllegalStateException("cannot resume from " + dir + ": its " + what + " (" + saved + ") differ from this run's ("
          + now + "); train from scratch (without --resume) or restore the inputs");
    }
  }
}
