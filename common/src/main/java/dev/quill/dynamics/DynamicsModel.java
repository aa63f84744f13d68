package dev.quill.dynamics;

import dev.quill.data.DatasetStats;
import dev.quill.loss.GaussianNegLogLikelihood;
import dev.quill.util.AtomicFiles;
import dev.quill.util.Json;
import dev.quill.util.Seeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A token-conditioned Gaussian dynamics model {@code M(x' | x, y)}: an MLP whose input is the normalized
 * state followed by the one-hot encodings of the action tokens (head after head, {@code sum(vocabSizes)}
 * columns) and whose output is the mean and log-variance ({@link GaussianNegLogLikelihood}) of the
 * state change in normalized units, {@code (x' - x) / std}. {@link #predictMean} returns {@code x + std *
 * mu}. Directory: {@code dynamics.json} ({@link DynamicsInfo}), {@code network.zip} (ModelSerializer),
 * {@code stats.json} (the state statistics used to normalize), written atomically.
 *
 * <p>Not thread-safe (the network keeps per-call state).
 */
public final class DynamicsModel {
  /** Metadata file. */
  public static final String INFO = "dynamics.json";
  /** Network file. */
  public static final String NETWORK = "network.zip";
  /** Statistics file. */
  public static final String STATS = "stats.json";

  private final MultiLayerNetwork network;
  private final DatasetStats stats;
  private final DynamicsInfo info;

  /** Assembles a model from its parts. */
  public DynamicsModel(MultiLayerNetwork network, DatasetStats stats, DynamicsInfo info) {
    this.network = network;
    this.stats = stats;
    this.info = info;
  }

  /** The network configuration: ReLU trunk, identity output of {@code 2 * stateDim} values with Gaussian NLL. */
  public static MultiLayerConfiguration conf(int stateDim, List<Integer> vocabSizes, List<Integer> hidden, IUpdater updater,
      long seed, DataType dataType) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(Seeds.forDl4j(seed)).dataType(dataType)
        .updater(updater).weightInit(WeightInit.RELU).list();
    int in = inputWidth(stateDim, vocabSizes);
    for (int width : hidden) {
      list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU).build());
      in = width;
    }
    list.layer(new OutputLayer.Builder(new GaussianNegLogLikelihood(stateDim)).nIn(in).nOut(2L * stateDim)
        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build());
    return list.build();
  }

  /** Input columns: state dimension plus the sum of the vocabulary sizes. */
  public static int inputWidth(int stateDim, List<Integer> vocabSizes) {
    return stateDim + vocabSizes.stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Writes the network input of ({@code state}, {@code tokens}) into {@code out} at {@code offset}
   * (normalized state, then one-hot per head; {@code out} must be zero there).
   *
   * @throws IllegalArgumentException when a token is outside its head's vocabulary
   */
  public static void encodeInput(DatasetStats stats, List<Integer> vocabSizes, double[] state, int[] tokens, float[] out,
      int offset) {
    stats.state().normalize(state, out, offset);
    int base = offset + state.length;
    for (int h = 0; h < vocabSizes.size(); h++) {
      if (tokens[h] < 0 || tokens[h] >= vocabSizes.get(h)) {
        throw new IllegalArgumentException("token " + tokens[h] + " of head " + h + " is outside [0, " + vocabSizes.get(h) + ")");
      }
      out[base + tokens[h]] = 1f;
      base += vocabSizes.get(h);
    }
  }

  /** Writes the training target {@code (next - state) / std} into {@code out} at {@code offset}. */
  public static void encodeTarget(DatasetStats stats, double[] state, double[] next, float[] out, int offset) {
    double[] std = stats.state().std();
    for (int i = 0; i < state.length; i++) {
      out[offset + i] = (float) ((next[i] - state[i]) / (std[i] > 1e-8 ? std[i] : 1.0));
    }
  }

  /** The predicted mean next state of each (state, tokens) pair. */
  public double[][] predictMean(double[][] states, int[][] tokens) {
    int s = info.stateDim();
    int width = inputWidth(s, info.vocabSizes());
    float[] x = new float[states.length * width];
    for (int i = 0; i < states.length; i++) {
      if (states[i].length != s) {
        throw new IllegalArgumentException("state " + i + " has length " + states[i].length + ", the dynamics model expects " + s);
      }
      encodeInput(stats, info.vocabSizes(), states[i], tokens[i], x, i * width);
    }
    float[] out = network.output(Nd4j.create(x, new long[] {states.length, width}, 'c'), false).dup('c').data().asFloat();
    double[] std = stats.state().std();
    double[][] next = new double[states.length][s];
    for (int i = 0; i < states.length; i++) {
      for (int d = 0; d < s; d++) {
        next[i][d] = states[i][d] + (std[d] > 1e-8 ? std[d] : 1.0) * out[i * 2 * s + d];
      }
    }
    return next;
  }

  /** The network. */
  public MultiLayerNetwork network() {
    return network;
  }

  /** Metadata. */
  public DynamicsInfo info() {
    return info;
  }

  /** Writes the model directory {@code dir}, replacing it atomically. */
  public void save(Path dir) {
    Path staging = AtomicFiles.stagingDirFor(dir);
    try {
      Files.writeString(staging.resolve(INFO), Json.write(info) + "\n");
      ModelSerializer.writeModel(network, staging.resolve(NETWORK).toFile(), false);
      Files.writeString(staging.resolve(STATS), Json.write(stats) + "\n");
    } catch (IOException e) {
      AtomicFiles.deleteRecursively(staging);
      throw new UncheckedIOException("cannot write dynamics model to " + dir + ": " + e.getMessage(), e);
    }
    AtomicFiles.publishDir(staging, dir);
  }

  /**
   * Loads a model directory.
   *
   * @throws IllegalArgumentException naming the file when it is missing or of another format or version
   */
  public static DynamicsModel load(Path dir) {
    return fromFiles(readFiles(dir), dir.toString());
  }

  /** The files of a model directory in memory (to broadcast it to executors). */
  public static Map<String, byte[]> readFiles(Path dir) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : new String[] {INFO, NETWORK, STATS}) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        throw new IllegalArgumentException("dynamics model directory " + dir + " has no " + name + " (run quill dynamics first)");
      }
      try {
        files.put(name, Files.readAllBytes(dir.resolve(name)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + dir.resolve(name), e);
      }
    }
    return files;
  }

  /** Rebuilds a model from its files; {@code source} names it in errors. */
  public static DynamicsModel fromFiles(Map<String, byte[]> files, String source) {
    try {
      DynamicsInfo info = Json.MAPPER.readValue(files.get(INFO), DynamicsInfo.class);
      if (!DynamicsInfo.FORMAT.equals(info.format()) || info.formatVersion() < 1
          || info.formatVersion() > DynamicsInfo.FORMAT_VERSION) {
        throw new IllegalArgumentException(source + "/" + INFO + ": format " + info.format() + " version " + info.formatVersion()
            + "; this Quill reads " + DynamicsInfo.FORMAT + " versions 1 to " + DynamicsInfo.FORMAT_VERSION);
      }
      MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(files.get(NETWORK)), false);
      DatasetStats stats = Json.MAPPER.readValue(files.get(STATS), DatasetStats.class);
      return new DynamicsModel(net, stats, info);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load dynamics model from " + source + ": " + e.getMessage(), e);
    }
  }
}
