package dev.quill.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.quill.config.Checks;
import java.util.List;

/**
 * The policy network and how it is trained by parameter averaging. Spark trains with one worker per
 * executor core ({@code defaultParallelism}).
 *
 * @param head policy head: {@code factorized} (one softmax over bins per action dimension),
 *     {@code codebook} (one softmax over the codes of a one-stage {@code kmeans} codebook; the factorized
 *     network with a single head of K classes), {@code autoregressive} (dimension j conditioned on the
 *     tokens of dimensions &lt; j, see {@link PolicyNetworks#autoregressive}), {@code continuous} (MSE
 *     regression of the normalized action, no tokenizer at decode)
 * @param hidden widths of the hidden ReLU layers, 1 to 8 layers, each in [1, 65536]
 * @param epochs passes over the training episodes, in [1, 100000]
 * @param batchSize minibatch size, in [1, 1048576]: per worker, or per step over all workers ({@code batchScope})
 * @param learningRate Adam learning rate, in (0, 1]
 * @param averagingFrequency minibatches each worker fits between parameter averages, in [1, 100000], or
 *     {@link AveragingFrequency#AUTO} ({@code auto} in files): chosen per run from the examples per lane, at least twice
 *     per epoch ({@link AveragingFrequency#resolve})
 * @param approach how the workers train: {@code fused} (Quill's parameter averaging with the fused
 *     training step on examples cached in the executors; networks it does not support, such as QAT
 *     students, fall back to {@code export}/{@code direct}), {@code export} (DL4J's training master,
 *     serialized minibatches), {@code direct} (DL4J's training master, in-memory RDD), {@code auto}
 *     ({@code fused})
 * @param decoding how the autoregressive head picks each token at inference: {@code greedy} (argmax) or
 *     {@code sampled} (drawn from the conditional softmax); the other heads always take the argmax
 * @param decodingSeed seed of the sampled decoding's random stream, in [0, 2^62]
 * @param network {@code mlp} (the hidden layers on the flat state) or {@code conv} (image observations: 3x3
 *     convolutions of stride 2 with {@code convChannels} output channels, ReLU, then the hidden layers); absent
 *     (policies written before the key existed) reads as {@code mlp}
 * @param convChannels output channels of the convolution layers of {@code conv}, 1 to 6 layers, each in [1, 1024];
 *     absent reads as {@code [16, 32]}
 * @param init weight initialization of the {@code mlp} network's dense layers: {@code dl4j} (He-normal for the
 *     hidden ReLU layers, Xavier for the output layer: Quill's initialization before the key existed) or
 *     {@code torch} (PyTorch's {@code nn.Linear}: {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}); biases start at 0
 *     either way (DL4J initializes biases to a constant); absent reads as {@code dl4j}
 * @param batchScope what {@code batchSize} counts when several workers average (the {@code fused} approach):
 *     {@code worker} (each worker fits minibatches of {@code batchSize}, as DL4J's {@code batchSizePerWorker}: W
 *     workers take one averaged step per W x {@code batchSize} examples) or {@code global} ({@code batchSize} examples
 *     per step over all workers: each of the W workers holding examples fits minibatches of
 *     {@code ceil(batchSize / W)}, so an epoch has as many steps as in one JVM, whatever W); absent reads as
 *     {@code worker}, and {@code worker} is left out of the JSON (files written before the key existed read the same)
 * @param precision precision of the fused MLP step's matrix products: {@code fp32} (OpenBLAS), {@code bf16} (bfloat16
 *     operands and float32 accumulation for every dense layer but the first, on oneDNN; needs a CPU with AVX-512 BF16
 *     or AMX, else the training fails naming the CPU's instruction set) or {@code auto} (bf16 on each worker whose CPU
 *     has it, fp32 elsewhere); master weights, the loss and Adam stay float32 ({@link dev.quill.train.MatmulPrecision}).
 *     {@code bf16} applies to {@code mlp} networks only (the {@code conv} step multiplies in float32), and to
 *     full-precision policies (QAT and SQIL students multiply in float32, so that their fake-quantized weights reach the
 *     products exactly). Absent reads as {@code fp32}, which is left out of the JSON
 */
public record TrainConfig(
    String head,
    List<Integer> hidden,
    int epochs,
    int batchSize,
    double learningRate,
    @JsonSerialize(using = AveragingFrequency.Serializer.class)
    @JsonDeserialize(using = AveragingFrequency.Deserializer.class)
    int averagingFrequency,
    String approach,
    String decoding,
    long decodingSeed,
    String network,
    List<Integer> convChannels,
    String init,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = TrainConfig.WorkerScope.class)
    String batchScope,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = TrainConfig.Fp32Precision.class)
    String precision) implements java.io.Serializable {
  /** Allowed values of {@link #head()}. */
  public static final List<String> HEADS = List.of("factorized", "codebook", "autoregressive", "continuous");
  /** Allowed values of {@link #decoding()}. */
  public static final List<String> DECODINGS = List.of("greedy", "sampled");
  /** Allowed values of {@link #approach()}. */
  public static final List<String> APPROACHES = List.of("auto", "fused", "export", "direct");
  /** Allowed values of {@link #network()}. */
  public static final List<String> NETWORKS = List.of("mlp", "conv");
  /** Allowed values of {@link #init()}. */
  public static final List<String> INITS = List.of("dl4j", "torch");
  /** Allowed values of {@link #batchScope()}. */
  public static final List<String> BATCH_SCOPES = List.of("worker", "global");
  /** Allowed values of {@link #precision()}. */
  public static final List<String> PRECISIONS = List.of("fp32", "bf16", "auto");

  /**
   * Jackson's value filter that leaves a key out of the JSON when it holds its default, so that files written before
   * the key existed and files written with the default are the same bytes. Jackson builds each subclass by reflection.
   */
  private abstract static class DefaultLeftOut {
    private final String defaultValue;

    DefaultLeftOut(String defaultValue) {
      this.defaultValue = defaultValue;
    }

    @Override
    public boolean equals(Object value) {
      return defaultValue.equals(value);
    }

    @Override
    public int hashCode() {
      return defaultValue.hashCode();
    }
  }

  /** Leaves the default {@code batchScope} ({@code worker}) out of the JSON. */
  public static final class WorkerScope extends DefaultLeftOut {
    public WorkerScope() {
      super("worker");
    }
  }

  /** Leaves the default {@code precision} ({@code fp32}) out of the JSON. */
  public static final class Fp32Precision extends DefaultLeftOut {
    public Fp32Precision() {
      super("fp32");
    }
  }

  /** Validates every key. */
  public TrainConfig {
    Checks.oneOf("head", head, HEADS);
    Checks.present("hidden", hidden);
    Checks.inRange("hidden.length", hidden.size(), 1, 8);
    for (int i = 0; i < hidden.size(); i++) {
      Checks.present("hidden[" + i + "]", hidden.get(i));
      Checks.inRange("hidden[" + i + "]", hidden.get(i), 1, 65_536);
    }
    hidden = List.copyOf(hidden);
    Checks.inRange("epochs", epochs, 1, 100_000);
    Checks.inRange("batchSize", batchSize, 1, 1 << 20);
    Checks.inOpenClosed("learningRate", learningRate, 0.0, 1.0);
    AveragingFrequency.check("averagingFrequency", averagingFrequency);
    Checks.oneOf("approach", approach, APPROACHES);
    // policy.json files written before these keys existed decode greedily
    decoding = decoding == null ? "greedy" : decoding;
    Checks.oneOf("decoding", decoding, DECODINGS);
    Checks.inRange("decodingSeed", decodingSeed, 0, 1L << 62);
    network = network == null ? "mlp" : network;
    Checks.oneOf("network", network, NETWORKS);
    convChannels = convChannels == null ? List.of(16, 32) : convChannels;
    Checks.inRange("convChannels.length", convChannels.size(), 1, 6);
    for (int i = 0; i < convChannels.size(); i++) {
      Checks.present("convChannels[" + i + "]", convChannels.get(i));
      Checks.inRange("convChannels[" + i + "]", convChannels.get(i), 1, 1024);
    }
    convChannels = List.copyOf(convChannels);
    init = init == null ? "dl4j" : init;
    Checks.oneOf("init", init, INITS);
    batchScope = batchScope == null ? "worker" : batchScope;
    Checks.oneOf("batchScope", batchScope, BATCH_SCOPES);
    precision = precision == null ? "fp32" : precision;
    Checks.oneOf("precision", precision, PRECISIONS);
    Checks.check(!("bf16".equals(precision) && "conv".equals(network)), "precision",
        "precision bf16 applies to mlp networks; the conv step multiplies in fp32 (use fp32 or auto)");
  }

  /** A configuration with {@code fp32} products (the keys that existed before {@code precision}). */
  public TrainConfig(String head, List<Integer> hidden, int epochs, int batchSize, double learningRate, int averagingFrequency,
      String approach, String decoding, long decodingSeed, String network, List<Integer> convChannels, String init,
      String batchScope) {
    this(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, decoding, decodingSeed, network,
        convChannels, init, batchScope, "fp32");
  }

  /** A configuration with the {@code worker} batch scope (the keys that existed before {@code batchScope}). */
  public TrainConfig(String head, List<Integer> hidden, int epochs, int batchSize, double learningRate, int averagingFrequency,
      String approach, String decoding, long decodingSeed, String network, List<Integer> convChannels, String init) {
    this(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, decoding, decodingSeed, network,
        convChannels, init, "worker");
  }

  /** A configuration with the {@code dl4j} initialization (the keys that existed before {@code init}). */
  public TrainConfig(String head, List<Integer> hidden, int epochs, int batchSize, double learningRate, int averagingFrequency,
      String approach, String decoding, long decodingSeed, String network, List<Integer> convChannels) {
    this(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, decoding, decodingSeed, network,
        convChannels, "dl4j");
  }

  /** A configuration with greedy decoding (decoding seed 0). */
  public TrainConfig(String head, List<Integer> hidden, int epochs, int batchSize, double learningRate, int averagingFrequency,
      String approach) {
    this(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, "greedy", 0L, "mlp", List.of(16, 32),
        "dl4j");
  }

  /** Whether the head predicts tokens (every head but {@code continuous}). */
  public boolean tokenHead() {
    return !"continuous".equals(head);
  }

  /** A copy with another number of epochs. */
  public TrainConfig withEpochs(int newEpochs) {
    return new TrainConfig(head, hidden, newEpochs, batchSize, learningRate, averagingFrequency, approach, decoding,
        decodingSeed, network, convChannels, init, batchScope, precision);
  }

  /** A copy with another weight initialization ({@link #INITS}). */
  public TrainConfig withInit(String newInit) {
    return new TrainConfig(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, decoding,
        decodingSeed, network, convChannels, newInit, batchScope, precision);
  }

  /** A copy with another batch scope ({@link #BATCH_SCOPES}). */
  public TrainConfig withBatchScope(String newScope) {
    return new TrainConfig(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, decoding,
        decodingSeed, network, convChannels, init, newScope, precision);
  }

  /** A copy with another matrix-product precision ({@link #PRECISIONS}). */
  public TrainConfig withPrecision(String newPrecision) {
    return new TrainConfig(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, decoding,
        decodingSeed, network, convChannels, init, batchScope, newPrecision);
  }

  /** Whether {@code batchSize} counts the examples of a step over all workers ({@code global}). */
  public boolean globalBatch() {
    return "global".equals(batchScope);
  }

  /**
   * The minibatch each of {@code workers} averaged workers fits: {@code batchSize} for the {@code worker} scope or one
   * worker, {@code ceil(batchSize / workers)} for {@code global}.
   *
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public int workerBatchSize(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    return globalBatch() ? (batchSize + workers - 1) / workers : batchSize;
  }

  /** An MLP configuration (the keys that existed before {@code network}). */
  public static TrainConfig mlp(String head, List<Integer> hidden, int epochs, int batchSize, double learningRate,
      int averagingFrequency, String approach) {
    return new TrainConfig(head, hidden, epochs, batchSize, learningRate, averagingFrequency, approach, "greedy",
        0L, "mlp", List.of(16, 32), "dl4j");
  }
}
