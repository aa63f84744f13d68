package dev.quill.spark.qat;

import static org.apache.spark.sql.functions.col;

import dev.quill.data.Columns;
import dev.quill.policy.Policy;
import dev.quill.saliency.SisDistance;
import dev.quill.spark.Datasets;
import dev.quill.spark.RunLayout;
import dev.quill.spark.saliency.SaliencyJob;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The per-state discrepancy {@code D(pi^Q(s), pi^FP(s))} of a quantized student to the full-precision teacher
 * over dataset states (Park et al., ICCV 2025, Fig. 1 and Table 2; papers.md claim 11), with D the configured
 * saliency distance ({@link SisDistance}, by default {@code 1/2 ||z_Q - z_FP||^2} over the logits), and how
 * much of it the top-SIS states hold.
 */
public final class Discrepancy {
  private static final int BATCH = 1024;

  private Discrepancy() {}

  /**
   * A driver-side sample of dataset states.
   *
   * @param states raw states
   * @param sis their saliency scores
   * @param heldout whether each state belongs to a held-out episode
   */
  public record Sample(double[][] states, double[] sis, boolean[] heldout) {}

  /** Up to {@code max} states of {@code layout}'s dataset with their SIS (sorted by episode and frame). */
  public static Sample sample(SparkSession spark, RunLayout layout, int max) {
    List<Row> rows = Datasets.read(spark, layout.dataset())
        .join(spark.read().parquet(layout.saliency().resolve("scores").toUri().toString()),
            scala.collection.JavaConverters.asScalaBuffer(List.of(Columns.EPISODE, Columns.FRAME)).toSeq())
        .orderBy(col(Columns.EPISODE), col(Columns.FRAME))
        .select(col("`" + Columns.STATE + "`"), col(SaliencyJob.SIS), col(Columns.HELDOUT))
        .limit(max).collectAsList();
    double[][] states = new double[rows.size()][];
    double[] sis = new double[rows.size()];
    boolean[] heldout = new boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      states[i] = Datasets.vector(rows.get(i), 0);
      sis[i] = rows.get(i).getDouble(1);
      heldout[i] = rows.get(i).getBoolean(2);
    }
    return new Sample(states, sis, heldout);
  }

  /** {@code D(pi^Q(s), pi^FP(s))} of every sampled state, with the teacher's logits {@code fp}. */
  public static double[] perState(float[][] fp, Policy student, double[][] states, SisDistance distance) {
    double[] d = new double[states.length];
    for (int from = 0; from < states.length; from += BATCH) {
      double[][] batch = Arrays.copyOfRange(states, from, Math.min(states.length, from + BATCH));
      float[][] z = student.logits(batch);
      for (int i = 0; i < batch.length; i++) {
        d[from + i] = distance.between(batch[i], fp[from + i], z[i]);
      }
    }
    return d;
  }

  /** The teacher's logits of every state. */
  public static float[][] logits(Policy policy, double[][] states) {
    float[][] z = new float[states.length][];
    for (int from = 0; from < states.length; from += BATCH) {
      float[][] part = policy.logits(Arrays.copyOfRange(states, from, Math.min(states.length, from + BATCH)));
      System.arraycopy(part, 0, z, from, part.length);
    }
    return z;
  }

  /**
   * The share of the large discrepancies ({@code d} above its {@code 1 - topD} quantile) whose state is among
   * the top {@code topSis} fraction by SIS (SIS above its {@code 1 - topSis} quantile, as the SQIL weights);
   * about {@code topSis} when the two are independent.
   */
  public static double concentration(double[] d, double[] sis, double topSis, double topD) {
    double dCut = quantile(d, 1 - topD);
    double sisCut = quantile(sis, 1 - topSis);
    int large = 0;
    int both = 0;
    for (int i = 0; i < d.length; i++) {
      if (d[i] > dCut) {
        large++;
        if (sis[i] > sisCut) {
          both++;
        }
      }
    }
    return large == 0 ? Double.NaN : (double) both / large;
  }

  /** The share of the total discrepancy mass held by the top {@code topSis} fraction of states by SIS. */
  public static double massShare(double[] d, double[] sis, double topSis) {
    double sisCut = quantile(sis, 1 - topSis);
    double all = 0;
    double top = 0;
    for (int i = 0; i < d.length; i++) {
      all += d[i];
      if (sis[i] > sisCut) {
        top += d[i];
      }
    }
    return all == 0 ? Double.NaN : top / all;
  }

  /** Mean of {@code d} over the states where {@code mask} is true (all states when none is). */
  public static double mean(double[] d, boolean[] mask) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < d.length; i++) {
      if (mask[i]) {
        sum += d[i];
        n++;
      }
    }
    return n == 0 ? Arrays.stream(d).average().orElse(Double.NaN) : sum / n;
  }

  /** The q-quantile of {@code v} (nearest rank on the sorted values, q in [0, 1]). */
  public static double quantile(double[] v, double q) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int idx = (int) Math.ceil(q * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, idx))];
  }
}
