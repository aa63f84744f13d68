package dev.quill.spark.qat;

import dev.quill.data.DatasetStats;
import dev.quill.quant.ActionTokenizer;
import dev.quill.spark.Datasets;
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

  StudentExamples(Broadcast<DatasetStats> stats, Broadcast<ActionTokenizer> tokenizer, String method, double threshold,
      double beta) {
    this.stats = stats;
    this.tokenizer = tokenizer;
    this.method = method;
    this.threshold = threshold;
    this.beta = beta;
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

  @Override
  public Iterator<ExampleBlock> call(Iterator<Row> rows) {
    DatasetStats st = stats.value();
    ActionTokenizer tok = tokenizer.value();
    List<Row> list = new ArrayList<>();
    rows.forEachRemaining(list::add);
    int s = st.state().dim();
    int heads = tok.numHeads();
    int logits = 0;
    for (int h = 0; h < heads; h++) {
      logits += tok.vocabSize(h);
    }
    int width = heads + logits + 1;
    ExampleBlock block = ExampleBlock.allocate(list.size(), s, width);
    for (int i = 0; i < list.size(); i++) {
      Row r = list.get(i);
      st.state().normalize(Datasets.vector(r, 0), block.states(), i * s);
      int[] tokens = tok.encode(Datasets.vector(r, 1));
      int base = i * width;
      for (int h = 0; h < heads; h++) {
        block.tokens()[base + h] = tokens[h];
      }
      List<Float> z = r.getList(3);
      for (int c = 0; c < logits; c++) {
        block.tokens()[base + heads + c] = z.get(c);
      }
      block.tokens()[base + width - 1] = (float) alpha(method, r.getDouble(2), threshold, beta);
    }
    return List.of(block).iterator();
  }
}
