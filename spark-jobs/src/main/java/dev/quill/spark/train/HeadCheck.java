package dev.quill.spark.train;

import dev.quill.policy.PolicyNetworks;
import dev.quill.policy.TrainConfig;
import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.codebook.CodebookTokenizer;
import dev.quill.task.image.ImageShape;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** Which tokenizers each policy head accepts, and the Spark trainer of each head's network. */
public final class HeadCheck {
  private HeadCheck() {}

  /**
   * Checks that {@code head} can be trained on {@code tokenizer}'s tokens: {@code codebook} needs a
   * one-stage {@code kmeans} codebook; {@code factorized} and {@code autoregressive} need the same
   * vocabulary on every head; {@code continuous} accepts any tokenizer (it only fixes the action dimension).
   *
   * @throws IllegalArgumentException naming the head, the tokenizer and the rule
   */
  public static void check(String head, ActionTokenizer tokenizer) {
    if ("continuous".equals(head)) {
      return;
    }
    if ("codebook".equals(head) && !CodebookTokenizer.TYPE_KMEANS.equals(tokenizer.type())) {
      throw new IllegalArgumentException("train.head codebook needs a one-stage codebook tokenizer (quantize.type: kmeans), "
          + "got tokenizer " + tokenizer.type() + " with " + tokenizer.numHeads() + " head(s)");
    }
    for (int h = 1; h < tokenizer.numHeads(); h++) {
      if (tokenizer.vocabSize(h) != tokenizer.vocabSize(0)) {
        throw new IllegalArgumentException("the " + head + " head needs the same vocabulary size on every head; tokenizer "
            + tokenizer.type() + " has " + tokenizer.vocabSize(0) + " tokens on head 0 and " + tokenizer.vocabSize(h)
            + " on head " + h);
      }
    }
  }

  /**
   * The parameter-averaging trainer of {@code train.head}'s network (Adam at {@code train.learningRate}).
   *
   * @param image the states' image shape for {@code train.network: conv}, else {@code null}
   * @throws IllegalArgumentException when {@code train.network: conv} is combined with a head other than
   *     {@code factorized} or {@code codebook}
   */
  public static SparkPolicyTrainer trainer(JavaSparkContext jsc, int stateDim, ImageShape image, ActionTokenizer tokenizer,
      TrainConfig train, long seed, String approach, String exportDirectory) {
    int heads = tokenizer.numHeads();
    int vocab = tokenizer.vocabSize(0);
    if ("conv".equals(train.network()) && !List.of("factorized", "codebook").contains(train.head())) {
      throw new IllegalArgumentException("train.network conv supports train.head factorized and codebook, got "
          + train.head());
    }
    return switch (train.head()) {
      case "autoregressive" -> new SparkPolicyTrainer(jsc, PolicyNetworks.autoregressive(stateDim, heads, vocab, train.hidden(),
          new Adam(train.learningRate()), seed, DataType.FLOAT), vocab, train, seed, approach, exportDirectory);
      case "continuous" -> new SparkPolicyTrainer(jsc, PolicyNetworks.continuous(stateDim, tokenizer.actionDim(), train.hidden(),
          new Adam(train.learningRate()), seed, DataType.FLOAT), train, seed, approach, exportDirectory);
      default -> new SparkPolicyTrainer(jsc, PolicyNetworks.forConfig(stateDim, image, heads, vocab, train, seed), train,
          seed, approach, exportDirectory);
    };
  }
}
