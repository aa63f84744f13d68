package dev.quill.policy;

import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.TokenizerFiles;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The policy directory: {@code policy.json} ({@link PolicyInfo}), {@code network.zip} (DL4J
 * ModelSerializer, updater state included so training can continue; a MultiLayerNetwork, or a
 * ComputationGraph for the {@code autoregressive} head as recorded in {@code policy.json}'s {@code head}), {@code tokenizer.json} and
 * {@code stats.json}. Directories are written atomically (staging folder, then rename).
 */
public final class PolicyFiles {
  /** Metadata file. */
  public static final String INFO = "policy.json";
  /** Network file. */
  public static final String NETWORK = "network.zip";
  /** Tokenizer file. */
  public static final String TOKENIZER = "tokenizer.json";
  /** Statistics file. */
  public static final String STATS = "stats.json";

  private PolicyFiles() {}

  /** Writes {@code policy} to folder {@code dir}, replacing it atomically. */
  public static void save(Policy policy, Path dir) {
    Bundle bundle = toBundle(policy);
    Path staging = AtomicFiles.stagingDirFor(dir);
    try {
      for (Map.Entry<String, byte[]> e : bundle.files().entrySet()) {
        Files.write(staging.resolve(e.getKey()), e.getValue());
      }
    } catch (IOException e) {
      AtomicFiles.deleteRecursively(staging);
      throw new UncheckedIOException("cannot write policy to " + dir + ": " + e.getMessage(), e);
    }
    AtomicFiles.publishDir(staging, dir);
  }

  /** Loads a policy directory. */
  public static Policy load(Path dir) {
    return fromBundle(readBundle(dir), dir.toString());
  }

  /** The files of a policy directory in memory (to broadcast it to executors). */
  public static Bundle readBundle(Path dir) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : new String[] {INFO, NETWORK, TOKENIZER, STATS}) {
      Path f = dir.resolve(name);
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("policy directory " + dir + " has no " + name + " (is it a Quill policy directory?)");
      }
      try {
        files.put(name, Files.readAllBytes(f));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return new Bundle(files);
  }

  /** Serializes a policy into its files in memory. */
  public static Bundle toBundle(Policy policy) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(INFO, (Json.write(policy.info()) + "\n").getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream net = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(policy.model(), net, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize network", e);
    }
    files.put(NETWORK, net.toByteArray());
    files.put(TOKENIZER, (TokenizerFiles.toJson(policy.tokenizer()) + "\n").getBytes(StandardCharsets.UTF_8));
    files.put(STATS, (Json.write(policy.stats()) + "\n").getBytes(StandardCharsets.UTF_8));
    return new Bundle(files);
  }

  /** Rebuilds a policy from its files; {@code source} names it in errors. */
  public static Policy fromBundle(Bundle bundle, String source) {
    try {
      PolicyInfo info = Json.MAPPER.readValue(bundle.files().get(INFO), PolicyInfo.class);
      if (!PolicyInfo.FORMAT.equals(info.format())) {
        throw new IllegalArgumentException(source + "/" + INFO + ": format is \"" + info.format() + "\", expected \"" + PolicyInfo.FORMAT + "\"");
      }
      if (info.formatVersion() < 1 || info.formatVersion() > PolicyInfo.FORMAT_VERSION) {
        throw new IllegalArgumentException(source + "/" + INFO + ": unsupported formatVersion " + info.formatVersion()
            + "; this Quill reads versions 1 to " + PolicyInfo.FORMAT_VERSION);
      }
      ActionTokenizer tokenizer = TokenizerFiles.fromJson(new String(bundle.files().get(TOKENIZER), StandardCharsets.UTF_8),
          source + "/" + TOKENIZER);
      DatasetStats stats = Json.MAPPER.readValue(bundle.files().get(STATS), DatasetStats.class);
      ByteArrayInputStream net = new ByteArrayInputStream(bundle.files().get(NETWORK));
      if ("autoregressive".equals(info.head())) {
        return new Policy(ModelSerializer.restoreComputationGraph(net, true), tokenizer, stats, info);
      }
      return new Policy(ModelSerializer.restoreMultiLayerNetwork(net, true), tokenizer, stats, info);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load policy from " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * A policy directory's files in memory.
   *
   * @param files file name to content
   */
  public record Bundle(Map<String, byte[]> files) implements Serializable {}
}
