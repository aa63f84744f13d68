package dev.quill.spark.audit;

import dev.quill.quant.ActionTokenizer;
import dev.quill.quant.audit.CodeUsage;
import dev.quill.quant.audit.LocalAudit;
import dev.quill.quant.audit.Smoothness;
import dev.quill.spark.Datasets;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * One episode's states and expert actions in frame order, the unit the audit's passes work on (grouping by
 * episode makes consecutive steps adjacent whatever the file layout).
 *
 * @param episode episode index
 * @param states {@code [frame][stateDim]}
 * @param actions {@code [frame][actionDim]}
 */
record EpisodeData(long episode, double[][] states, double[][] actions) implements Serializable {

  /** Groups rows of (episode, frame, state, action) into episodes sorted by frame. */
  static JavaRDD<EpisodeData> of(Dataset<Row> rows) {
    return rows.javaRDD()
        .mapToPair(r -> new Tuple2<>(((Number) r.get(0)).longValue(),
            new double[][] {{((Number) r.get(1)).doubleValue()}, Datasets.vector(r, 2), Datasets.vector(r, 3)}))
        .groupByKey()
        .map(g -> {
          List<double[][]> steps = new ArrayList<>();
          g._2().forEach(steps::add);
          steps.sort(Comparator.comparingDouble(s -> s[0][0]));
          double[][] states = new double[steps.size()][];
          double[][] actions = new double[steps.size()][];
          for (int i = 0; i < steps.size(); i++) {
            states[i] = steps.get(i)[1];
            actions[i] = steps.get(i)[2];
          }
          return new EpisodeData(g._1(), states, actions);
        });
  }

  /** eps_q and code usage of every tokenizer over this episode. */
  List<CodeUsage> usage(List<ActionTokenizer> tokenizers) {
    List<CodeUsage> out = new ArrayList<>();
    for (ActionTokenizer t : tokenizers) {
      CodeUsage u = new CodeUsage(t);
      for (int f = 0; f < states.length; f++) {
        int[] tok = t.encode(states[f], actions[f]);
        u.add(actions[f], tok, t.decode(states[f], tok));
      }
      out.add(u);
    }
    return out;
  }

  /** Smoothness over consecutive steps for every tokenizer, with its thresholds. */
  List<Smoothness> consecutive(List<ActionTokenizer> tokenizers, double[][] thresholds) {
    List<Smoothness> out = new ArrayList<>();
    for (int c = 0; c < tokenizers.size(); c++) {
      ActionTokenizer t = tokenizers.get(c);
      Smoothness s = new Smoothness();
      double[] prev = states.length == 0 ? null : LocalAudit.quantized(t, states[0], actions[0]);
      for (int f = 1; f < states.length; f++) {
        double[] cur = LocalAudit.quantized(t, states[f], actions[f]);
        s.add(actions[f - 1], prev, actions[f], cur, thresholds[c]);
        prev = cur;
      }
      out.add(s);
    }
    return out;
  }
}
