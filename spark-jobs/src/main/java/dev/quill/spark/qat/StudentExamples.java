package dev.quill.spark.qat;

import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.spark.Datasets;
import dev.quill.spark.train.WorkerWarmup;
import dev.quill.train.ExampleBlock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * Executor side of {@code qat}: turns one partition's rows (state, action, SIS, teacher logits) into one
 * example block whose label columns are the packed labels of
 * {@link dev.quill.loss.DistilledTokenCrossEntropy}: tokens, teacher logits, alpha.
 */
final class StudentExamples implements FlatMapFunction<Iterator<Row>, ExampleBlock> {
  private static final long serialVersionUID = 1L;
  private final Broadcast<DatasetStats> stats;
  private final Broadcast<ActionTokenizer> tokenizer;
  private final String method;
  private final double threshold;
  private final double beta;
  private final WorkerWarmup warmup;

  /** {@code warmup}: what executors prepare for the students' fused workers while they encode ({@link WorkerWarmup}). */
  StudentExamples(Broadcast<DatasetStats> stats, Broadcast<ActionTokenizer> tokenizer, String method, double threshold,
      double beta, WorkerWarmup warmup) {
    this.stats = stats;
    this.tokenizer = tokenizer;
    this.method = method;
    this.threshold = threshold;
    this.beta = beta;
    this.warmup = warmup;
  }

  /** Distillation weight of a state: 0 for plain QAT, 1 for QBC, beta above the SIS threshold for SQIL. */
  static double alpha(String method, double sis, double threshold, double beta) {
    return switch (method) {
      case "qat" -> 0.0;
      case "qbc" -> 1.0;
      case "sqil" -> sis > threshold ? beta : 1.0;
      default -> throw new IllegalArgumentException("no distillation weight for method " + method);
    };
  }

  /**
   * Encodes the partition's rows one at a time into primitive arrays (a row is released as soon as it is encoded;
   * Spark's rows hold boxed floats, ~5x the size, which ran a 77k-state image dataset out of heap), then copies
   * them into one block.
   */
  @Override
  public Iterator<ExampleBlock> call(Iterator<Row> rows) {
    // The students' fused worker and its kernels are prepared on spare threads while this executor encodes.
    warmup.start();
    DatasetStats st = stats.value();
    ActionTokenizer tok = tokenizer.value();
    int s = st.state().dim();
    int heads = tok.numHeads();
    int logits = 0;
    for (int h = 0; h < heads; h++) {
      logits += tok.vocabSize(h);
    }
    int width = heads + logits + 1;
    List<float[]> states = new ArrayList<>();
    List<float[]> labels = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      float[] state = new float[s];
      st.state().normalize(Datasets.vector(r, 0), state, 0);
      float[] label = new float[width];
      int[] tokens = tok.encode(Datasets.vector(r, 1));
      for (int h = 0; h < heads; h++) {
        label[h] = tokens[h];
      }
      List<Float> z = r.getList(3);
      for (int c = 0; c < logits; c++) {
        label[heads + c] = z.get(c);
      }
      label[width - 1] = (float) alpha(method, r.getDouble(2), threshold, beta);
      states.add(state);
      labels.add(label);
    }
    ExampleBlock block = ExampleBlock.allocate(states.size(), s, width);
    for (int i = 0; i < states.size(); i++) {
      System.arraycopy(states.get(i), 0, block.states(), i * s, s);
      System.arraycopy(labels.get(i), 0, block.tokens(), i * width, width);
      states.set(i, null);
      labels.set(i, null);
    }
    return List.of(block).iterator();
  }
}
