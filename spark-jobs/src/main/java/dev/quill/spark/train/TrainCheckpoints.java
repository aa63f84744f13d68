package dev.quill.spark.train;

import dev.quill.policy.Policy;
import dev.quill.policy.PolicyFiles;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code checkpoints/} folder of a run: one {@code epoch-NNNN/} folder per completed epoch, each a
 * full policy directory (network with Adam state, tokenizer, stats) plus {@link TrainState}, published
 * atomically (staging folder, then rename), so a process killed at any moment leaves only complete
 * checkpoints behind. Only the newest {@code kept} are retained.
 */
public final class TrainCheckpoints {
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");
  private final Path root;
  private final int kept;

  /** Checkpoints under {@code root}, keeping the newest {@code kept} (at least 1). */
  public TrainCheckpoints(Path root, int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("kept must be >= 1, got " + kept);
    }
    this.root = root;
    this.kept = kept;
  }

  /** The folder of epoch {@code epoch}'s checkpoint. */
  public Path dir(int epoch) {
    return root.resolve(String.format("epoch-%04d", epoch));
  }

  /** Writes the checkpoint of {@code state.epoch()} atomically and deletes checkpoints older than the kept ones. */
  public void save(Policy policy, TrainState state) {
    Path target = dir(state.epoch());
    Path staging = AtomicFiles.stagingDirFor(target);
    try {
      for (Map.Entry<String, byte[]> e : PolicyFiles.toBundle(policy).files().entrySet()) {
        Files.write(staging.resolve(e.getKey()), e.getValue());
      }
      Files.writeString(staging.resolve(TrainState.FILE), Json.write(state) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      AtomicFiles.deleteRecursively(staging);
      throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
    AtomicFiles.publishDir(staging, target);
    if (state.epoch() > kept) {
      AtomicFiles.deleteRecursively(dir(state.epoch() - kept));
    }
  }

  /** The newest checkpoint that has a {@link TrainState}, if any (older foundation checkpoints have none). */
  public Optional<Path> latest() {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> NAME.matcher(d.getFileName().toString()).matches())
          .filter(d -> Files.isRegularFile(d.resolve(TrainState.FILE)))
          .max((a, b) -> Integer.compare(epochOf(a), epochOf(b)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + root + ": " + e.getMessage(), e);
    }
  }

  /** Reads a checkpoint's training state. */
  public static TrainState state(Path checkpoint) {
    return Json.read(checkpoint.resolve(TrainState.FILE), TrainState.class);
  }

  private static int epochOf(Path dir) {
    var m = NAME.matcher(dir.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }
}
