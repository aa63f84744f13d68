package dev.quill.spark.audit;

import dev.quill.data.DatasetStats;
import dev.quill.quant.audit.LocalAudit;
import dev.quill.quant.audit.NeighbourSearch;
import dev.quill.quant.audit.StateProjection;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple3;

/**
 * The audit's sample of training states for the nearest-neighbour pairs: drawn without replacement with a
 * seed, searched against every state of the other episodes on the executors, merged on the driver.
 *
 * @param episodes episode of each sampled state
 * @param states raw sampled states
 * @param actions the expert's actions at them
 */
record NeighbourSample(long[] episodes, double[][] states, double[][] actions) {

  /** Draws up to {@code m} states uniformly from {@code data}. */
  static NeighbourSample draw(JavaRDD<EpisodeData> data, int m, DatasetStats stats, long seed) {
    List<Tuple3<Long, double[], double[]>> taken = data
        .flatMap(e -> {
          java.util.List<Tuple3<Long, double[], double[]>> steps = new java.util.ArrayList<>();
          for (int f = 0; f < e.states().length; f++) {
            steps.add(new Tuple3<>(e.episode(), e.states()[f], e.actions()[f]));
          }
          return steps.iterator();
        })
        .takeSample(false, m, seed);
    long[] ep = new long[taken.size()];
    double[][] s = new double[taken.size()][];
    double[][] a = new double[taken.size()][];
    for (int i = 0; i < ep.length; i++) {
      ep[i] = taken.get(i)._1();
      s[i] = taken.get(i)._2();
      a[i] = taken.get(i)._3();
    }
    return new NeighbourSample(ep, s, a);
  }

  /**
   * The nearest neighbour of every sampled state among the other episodes' states, distributed, in the
   * standardized state space mapped by {@code projection}.
   */
  NeighbourSearch search(JavaRDD<EpisodeData> data, DatasetStats stats, StateProjection projection) {
    double[] mean = stats.state().mean();
    double[] std = stats.state().std();
    double[][] standardized = new double[states.length][];
    for (int i = 0; i < states.length; i++) {
      standardized[i] = projection.apply(LocalAudit.standardize(states[i], mean, std));
    }
    long[] eps = episodes;
    NeighbourSearch empty = new NeighbourSearch(eps, standardized);
    if (states.length == 0) {
      return empty;
    }
    return data.mapPartitions(it -> {
      NeighbourSearch s = new NeighbourSearch(eps, standardized);
      while (it.hasNext()) {
        EpisodeData e = it.next();
        for (int f = 0; f < e.states().length; f++) {
          s.offer(e.episode(), e.states()[f], projection.apply(LocalAudit.standardize(e.states()[f], mean, std)),
              e.actions()[f]);
        }
      }
      return List.of(s).iterator();
    }).reduce(NeighbourSearch::merge);
  }
}
