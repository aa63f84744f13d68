package dev.quill.spark.bench;

import static dev.quill.spark.bench.SqilBench.BINS;
import static dev.quill.spark.bench.SqilBench.HEADS;
import static dev.quill.spark.bench.SqilBench.STATE_DIM;

import dev.quill.loss.DistilledTokenCrossEntropy;
import dev.quill.nn.qat.Quantization;
import dev.quill.policy.Policy;
import dev.quill.policy.PolicyNetworks;
import dev.quill.spark.bench.SqilBench.Options;
import dev.quill.spark.bench.SqilBench.Row;
import dev.quill.task.image.ImageShape;
import dev.quill.train.ExampleBlock;
import dev.quill.train.FusedStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The training half of {@code quill bench-sqil}: single-JVM training throughput of FP policies and of the
 * low-bit students of Park et al. (ICCV 2025) — W4 per-channel fake-quantized weights with the distilled loss
 * (the SQIL student), W4A4 with LSQ activations — each on the path {@code LocalTrainer} and
 * {@code FusedAveraging} take ({@link FusedStep} where one supports the network, labelled {@code fused step})
 * and on DL4J's {@code fit} (the path students took before the fused steps supported them, and still take with
 * LSQ activations). Two models: Quill's bench MLP (17-dim state, 6 heads x 256 bins, 2 x 256, batch 256) and
 * the {@code lane-image} convolutional policy (3 x 32 x 32, convolutions 16 and 32, dense 128, 2 heads x 64
 * bins, batch 64). Synthetic examples; each row trains a fresh network after 8 warm-up minibatches.
 */
final class SqilTrainingBench {
  private static final ImageShape IMAGE = new ImageShape(3, 32, 32);
  private static final int IMAGE_HEADS = 2;
  private static final int IMAGE_BINS = 64;
  /** Minibatches fitted before the clock starts (JIT compilation of the Java kernels, native buffers). */
  private static final int WARM_UP = 8;

  private SqilTrainingBench() {}

  /** The MLP rows (ratio to the FP fused step) then the image rows (ratio to the FP conv fused step). */
  static List<Row> run(Options o) {
    List<Row> rows = new ArrayList<>(mlp(o));
    rows.addAll(image(o));
    return rows;
  }

  private static List<Row> mlp(Options o) {
    Policy teacher = SqilBench.teacher();
    MultiLayerConfiguration fp = teacher.network().getLayerWiseConfigurations();
    int n = o.trainExamples();
    Random r = new Random(3);
    ExampleBlock distilled = distilledBlock(n, STATE_DIM, HEADS, BINS, r);
    float[] logits = teacher.network().output(Nd4j.create(distilled.states(), new long[] {n, STATE_DIM}, 'c'))
        .dup('c').data().asFloat();
    int width = distilled.numHeads();
    for (int i = 0; i < n; i++) {
      System.arraycopy(logits, i * HEADS * BINS, distilled.tokens(), i * width + HEADS, HEADS * BINS);
    }
    ExampleBlock plain = tokensOnly(distilled, HEADS);
    MultiLayerConfiguration student = withDistilledLoss(fp, HEADS, BINS);
    MultiLayerConfiguration w4 = Quantization.withFakeQuant(student, 4, true);
    double ref = throughput(fp, plain, 256, o.epochs(), true);
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("train FP (token log-loss), fused step", ref, "ex/s", 1.0));
    double fpFit = throughput(fp, plain, 256, o.epochs(), false);
    rows.add(new Row("train FP (token log-loss), DL4J fit", fpFit, "ex/s", fpFit / ref));
    double fpD = throughput(student, distilled, 256, o.epochs(), true);
    rows.add(new Row("train FP + distillation loss (QBC/SQIL loss, no quantization), fused step", fpD, "ex/s", fpD / ref));
    double w4Fused = throughput(w4, distilled, 256, o.epochs(), true);
    rows.add(new Row("train QAT W4 per-channel + distillation (SQIL student), fused step", w4Fused, "ex/s", w4Fused / ref));
    double w4Fit = throughput(w4, distilled, 256, o.epochs(), false);
    rows.add(new Row("train QAT W4 per-channel + distillation (SQIL student), DL4J fit", w4Fit, "ex/s", w4Fit / ref));
    double w4a4 = throughput(Quantization.withActivationQuant(w4, 4), distilled, 256, o.epochs(), false);
    rows.add(new Row("train QAT W4A4 (LSQ activations) + distillation, DL4J fit (not fused)", w4a4, "ex/s", w4a4 / ref));
    return rows;
  }

  private static List<Row> image(Options o) {
    MultiLayerConfiguration fp = PolicyNetworks.conv(IMAGE, IMAGE_HEADS, IMAGE_BINS, List.of(16, 32), List.of(128),
        new Adam(1e-3), 7, DataType.FLOAT);
    ExampleBlock distilled = distilledBlock(o.imageExamples(), IMAGE.size(), IMAGE_HEADS, IMAGE_BINS, new Random(5));
    ExampleBlock plain = tokensOnly(distilled, IMAGE_HEADS);
    MultiLayerConfiguration w4 = Quantization.withFakeQuant(withDistilledLoss(fp, IMAGE_HEADS, IMAGE_BINS), 4, true);
    double ref = throughput(fp, plain, 64, o.epochs(), true);
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("train lane-image conv FP, batch 64, fused step", ref, "ex/s", 1.0));
    double fpFit = throughput(fp, plain, 64, o.epochs(), false);
    rows.add(new Row("train lane-image conv FP, batch 64, DL4J fit", fpFit, "ex/s", fpFit / ref));
    double w4Fused = throughput(w4, distilled, 64, o.epochs(), true);
    rows.add(new Row("train lane-image conv QAT W4 + distillation (SQIL student), fused step", w4Fused, "ex/s",
        w4Fused / ref));
    double w4Fit = throughput(w4, distilled, 64, o.epochs(), false);
    rows.add(new Row("train lane-image conv QAT W4 + distillation (SQIL student), DL4J fit", w4Fit, "ex/s", w4Fit / ref));
    return rows;
  }

  /**
   * Examples per second of {@code epochs} epochs over {@code block} in minibatches of {@code batch} (identity
   * order) after {@link #WARM_UP} warm-up minibatches, on a fresh network of {@code conf}: with {@link FusedStep#forNetwork}
   * when {@code fused}, else with DL4J's {@code fit}.
   */
  static double throughput(MultiLayerConfiguration conf, ExampleBlock block, int batch, int epochs, boolean fused) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
    net.init();
    int n = block.size();
    long seen = 0;
    long t0;
    if (fused) {
      FusedStep step = FusedStep.forNetwork(net);
      int[] order = block.order(null);
      for (int from = 0; from < Math.min(n, WARM_UP * batch); from += batch) {
        step.fit(block, order, from, Math.min(batch, n - from));
      }
      t0 = System.nanoTime();
      for (int e = 0; e < epochs; e++) {
        for (int from = 0; from < n; from += batch) {
          int m = Math.min(batch, n - from);
          step.fit(block, order, from, m);
          seen += m;
        }
      }
      step.flush();
    } else {
      List<DataSet> batches = block.toMinibatches(batch, null);
      for (DataSet d : batches.subList(0, Math.min(WARM_UP, batches.size()))) {
        net.fit(d);
      }
      t0 = System.nanoTime();
      for (int e = 0; e < epochs; e++) {
        for (DataSet d : batches) {
          net.fit(d);
          seen += d.numExamples();
        }
      }
    }
    return seen / ((System.nanoTime() - t0) / 1e9);
  }

  /** Random states in [-1, 1], random tokens, Gaussian teacher logits and alpha 2 on every fifth example, else 1. */
  private static ExampleBlock distilledBlock(int n, int stateDim, int heads, int bins, Random r) {
    int width = heads + heads * bins + 1;
    ExampleBlock b = ExampleBlock.allocate(n, stateDim, width);
    for (int i = 0; i < b.states().length; i++) {
      b.states()[i] = 2 * r.nextFloat() - 1;
    }
    for (int i = 0; i < n; i++) {
      for (int h = 0; h < heads; h++) {
        b.tokens()[i * width + h] = r.nextInt(bins);
      }
      for (int c = 0; c < heads * bins; c++) {
        b.tokens()[i * width + heads + c] = (float) r.nextGaussian();
      }
      b.tokens()[i * width + width - 1] = i % 5 == 0 ? 2f : 1f;
    }
    return b;
  }

  /** The same examples with only their token labels (the FP policy's label layout). */
  private static ExampleBlock tokensOnly(ExampleBlock distilled, int heads) {
    ExampleBlock b = new ExampleBlock(distilled.size(), distilled.stateDim(), heads, distilled.states(),
        new float[distilled.size() * heads]);
    for (int i = 0; i < b.size(); i++) {
      System.arraycopy(distilled.tokens(), i * distilled.numHeads(), b.tokens(), i * heads, heads);
    }
    return b;
  }

  private static MultiLayerConfiguration withDistilledLoss(MultiLayerConfiguration conf, int heads, int bins) {
    MultiLayerConfiguration copy = conf.clone();
    BaseOutputLayer out = (BaseOutputLayer) copy.getConf(copy.getConfs().size() - 1).getLayer();
    out.setLossFn(new DistilledTokenCrossEntropy(heads, bins));
    return copy;
  }
}
