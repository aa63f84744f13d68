package dev.quill.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.quill.config.ConfigException;
import java.io.IOException;

/**
 * {@code train.averagingFrequency}: the minibatches each worker fits between parameter averages, fixed or {@code auto}.
 *
 * <p>Each averaging round has a cost that does not depend on how many minibatches it holds: a Spark job, the
 * parameters and Adam state broadcast to every worker and sent back by each, and the workers waiting for the
 * slowest. Measured on a 2-vCPU host with two executor JVMs (README, Performance, tenth round), that cost was
 * 110–440 ms per round on the bench model (more for longer rounds, which wait longer for the slower worker), against
 * 60 ms of steps for five minibatches of 256: averaging every 5 minibatches trained at 9–18k examples/s per epoch where
 * averaging every 200 reached 30–47k, at the same held-out loss (within 0.2 %).
 * Both the round's cost (the state's bytes) and a minibatch's compute grow with the network's parameters, so what keeps
 * the rounds' share small is the examples each lane fits between averages, whatever the model. {@code auto} therefore
 * averages after about {@link #EXAMPLES_PER_LANE} examples per lane ({@code ceil(EXAMPLES_PER_LANE * lanes / batchSize)}
 * minibatches, rounded so that the epoch splits into equal rounds: a short last round would cost a whole round's
 * overhead), but at least {@link #MIN_ROUNDS_PER_EPOCH} times per epoch, so that the workers' models never drift apart
 * for a whole pass over their shards (Zinkevich et al. 2010's one-shot average is the limit this stays away from).
 * With one worker the fused trainer runs one round per epoch whatever the value (averaging one worker changes nothing);
 * DL4J's training masters ({@code export}, {@code direct}) read {@code auto} as DL4J's default, 5.
 *
 * <p>In configuration files the value is {@code auto} or an integer in [1, 100000]; in Java, {@link #AUTO} stands
 * for {@code auto}.
 */
public final class AveragingFrequency {
  /** The {@code int} that stands for {@code auto} in {@link TrainConfig#averagingFrequency()}. */
  public static final int AUTO = 0;
  /** The configuration text of {@link #AUTO}. */
  public static final String AUTO_TEXT = "auto";
  /** Largest fixed frequency. */
  public static final int MAX = 100_000;
  /** Examples each lane fits between averages under {@code auto}. */
  public static final int EXAMPLES_PER_LANE = 32_768;
  /** Fewest averages per epoch under {@code auto}. */
  public static final int MIN_ROUNDS_PER_EPOCH = 2;
  /** What DL4J's training masters use for {@code auto}: their own default. */
  public static final int TRAINING_MASTER_DEFAULT = 5;

  private AveragingFrequency() {}

  /**
   * Requires {@link #AUTO} or a frequency in [1, {@link #MAX}].
   *
   * @throws ConfigException naming {@code key} otherwise
   */
  public static void check(String key, int value) {
    if (value != AUTO && (value < 1 || value > MAX)) {
      throw refused(key, Integer.toString(value));
    }
  }

  private static ConfigException refused(String key, String got) {
    return new ConfigException(key, key + " must be " + AUTO_TEXT + " or an integer in [1, " + MAX + "], got " + got);
  }

  /**
   * Reads {@code auto} as {@link #AUTO} and an integer in [1, {@link #MAX}] as itself (the command line's and the
   * configuration files' form).
   *
   * @throws ConfigException naming {@code key}, the text and the allowed values for anything else (also {@code 0})
   */
  public static int parse(String key, String text) {
    String t = text == null ? "" : text.trim();
    if (AUTO_TEXT.equals(t)) {
      return AUTO;
    }
    if (t.matches("[0-9]{1,6}")) {
      int value = Integer.parseInt(t);
      if (value >= 1 && value <= MAX) {
        return value;
      }
    }
    throw refused(key, t);
  }

  /**
   * How runs report the frequency in effect ({@code metrics.json}, the bench): the minibatches per round, or
   * {@code "epoch"} for {@code 0}, one round per epoch (one fused worker).
   */
  public static Object reported(int minibatchesPerRound) {
    return minibatchesPerRound > 0 ? (Object) minibatchesPerRound : "epoch";
  }

  /** The configuration text of {@code value}: {@code auto} or the integer. */
  public static String text(int value) {
    return value == AUTO ? AUTO_TEXT : Integer.toString(value);
  }

  /**
   * The minibatches per round of a fused trainer with several workers.
   *
   * @param configured {@link #AUTO} or a fixed frequency (returned as it is)
   * @param maxBatches the most minibatches any worker fits per epoch (its shard's size over the batch size, rounded
   *     up), at least 1
   * @param lanes data-parallel lanes per worker, at least 1
   * @param batchSize examples per minibatch, at least 1
   * @return for {@code auto}: the epoch's {@code maxBatches} split evenly into {@code R} rounds,
   *     {@code ceil(maxBatches / R)}, where {@code R = max(MIN_ROUNDS_PER_EPOCH, floor(maxBatches / target))} (at most
   *     {@code maxBatches}) and {@code target = ceil(EXAMPLES_PER_LANE * lanes / batchSize)}: rounds of at least the
   *     target where the epoch holds one, no short last round, and at least two rounds per epoch
   */
  public static int resolve(int configured, long maxBatches, int lanes, int batchSize) {
    check("averagingFrequency", configured);
    if (maxBatches < 1 || lanes < 1 || batchSize < 1) {
      throw new IllegalArgumentException("maxBatches, lanes and batchSize must be >= 1, got " + maxBatches + ", " + lanes
          + ", " + batchSize);
    }
    if (configured != AUTO) {
      return configured;
    }
    long target = ceilDiv((long) EXAMPLES_PER_LANE * lanes, batchSize);
    long rounds = Math.min(maxBatches, Math.max(MIN_ROUNDS_PER_EPOCH, maxBatches / target));
    return (int) Math.min(ceilDiv(maxBatches, rounds), MAX);
  }

  /** The frequency DL4J's training masters get: {@link #TRAINING_MASTER_DEFAULT} for {@code auto}, else the value. */
  public static int forTrainingMaster(int configured) {
    check("averagingFrequency", configured);
    return configured == AUTO ? TRAINING_MASTER_DEFAULT : configured;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** Writes {@link #AUTO} as {@code "auto"}, other values as integers. */
  public static final class Serializer extends JsonSerializer<Integer> {
    @Override
    public void serialize(Integer value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      if (value == AUTO) {
        gen.writeString(AUTO_TEXT);
      } else {
        gen.writeNumber(value);
      }
    }
  }

  /**
   * Reads values as {@link #parse} does: {@code "auto"} as {@link #AUTO}, integers (also written as text) as
   * themselves; {@code 0}, which would read as {@code auto}, and anything else (fractions, booleans) fail with a
   * {@link ConfigException} naming the allowed values.
   */
  public static final class Deserializer extends JsonDeserializer<Integer> {
    @Override
    public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return parse("averagingFrequency", p.getText());
    }
  }
}
