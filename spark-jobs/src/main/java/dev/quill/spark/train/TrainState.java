package dev.quill.spark.train;

import dev.quill.policy.TrainConfig;
import dev.quill.train.EpochStats;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint needs beyond the network and its Adam state to continue a killed run exactly where
 * it stopped ({@code train-state.json} in every {@code checkpoints/epoch-NNNN/} folder).
 *
 * <p>Training is a sequence of whole epochs whose minibatch order is a pure function of
 * {@code (seed, epoch, partition)} ({@link dev.quill.train.LocalTrainer#epochSeed}), so the RNG state
 * and the data position at an epoch boundary are fully described by {@code seed}, {@code epoch} and
 * {@code examplesSeen}; the network's iteration count (Adam's bias correction) is stored with the
 * network itself and repeated here as {@code iterations} for checking.
 *
 * @param format always {@link #FORMAT}
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param epoch epochs completed (the next epoch to run is {@code epoch + 1})
 * @param seed the training seed (initialization and every epoch's shuffle seed derive from it)
 * @param nextShuffleSeed shuffle seed of partition 0 in the next epoch (recorded RNG state, for checking)
 * @param iterations minibatch iterations the network has done
 * @param trainExamples training examples per epoch
 * @param examplesSeen examples fitted so far ({@code epoch * trainExamples}): the data position
 * @param inputsSha256 SHA-256 of the dataset, stats and tokenizer the run trained on
 * @param train the training configuration ({@code epochs} may grow on resume; nothing else may change)
 * @param history measurements of every completed epoch
 */
public record TrainState(String format, int formatVersion, int epoch, long seed, long nextShuffleSeed, int iterations,
    long trainExamples, long examplesSeen, Map<String, String> inputsSha256, TrainConfig train, List<EpochStats> history) {
  /** Format name of {@code train-state.json}. */
  public static final String FORMAT = "quill.train-state";
  /** Current format version. */
  public static final int FORMAT_VERSION = 1;
  /** File name inside a checkpoint folder. */
  public static final String FILE = "train-state.json";

  /** Validates the state; history must hold exactly {@code epoch} entries. */
  public TrainState {
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException(FILE + ": format is \"" + format + "\", expected \"" + FORMAT + "\"");
    }
    if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
      throw new IllegalArgumentException(FILE + ": unsupported formatVersion " + formatVersion + "; this Quill reads versions 1 to "
          + FORMAT_VERSION);
    }
    if (epoch < 1 || history == null || history.size() != epoch) {
      throw new IllegalArgumentException(FILE + ": epoch must be >= 1 and equal the history length, got epoch " + epoch
          + " and " + (history == null ? 0 : history.size()) + " history entries");
    }
    inputsSha256 = Map.copyOf(inputsSha256);
    history = List.copyOf(history);
  }

  /** {@code train} with {@code epochs} set to 1: the part of the configuration a resumed run must match. */
  static TrainConfig comparable(TrainConfig t) {
    return t.withEpochs(1);
  }
}
