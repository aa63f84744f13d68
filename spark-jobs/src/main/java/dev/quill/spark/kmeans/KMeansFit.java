package dev.quill.spark.kmeans;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.SparkException;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * k-means over an RDD of {@link PointBlock}s: Spark MLlib's k-means|| initialization (Bahmani et al. 2012,
 * "Scalable K-Means++", VLDB; MLlib's {@code initializationSteps} rounds, then weighted k-means++ on the
 * candidates), followed by Lloyd iterations (Lloyd 1982) in which every executor scans its cached block with
 * tight loops and returns one {@link LloydStats}; the driver combines them with {@code treeReduce} and
 * moves each centre to the mean of its points. Each executor keeps Hamerly's bounds for its points between
 * iterations ({@link HamerlyBlock}, locally checkpointed RDDs, so that tasks stay small instead of carrying a
 * lineage that grows every iteration; when an executor holding such a block is lost, the iteration's job fails,
 * and the fit rebuilds the bounds from the caller's {@code blocks}, which Spark can recompute, and repeats that
 * iteration from the same centres: the result is unchanged, only the bounds' savings restart), so that many points skip the search over all K centres once the centres
 * settle; the assignments stay exactly Lloyd's. Iterations stop after {@code maxIterations}, or earlier when
 * the inertia improves by at most {@code tolerance} times its value (a relative-change criterion in the spirit
 * of scikit-learn's {@code tol}). Each Lloyd step is exactly MLlib's (same assignments, same means, empty
 * centres kept in place); only its implementation differs (MLlib builds one object per point and shuffles the
 * sums by {@code reduceByKey}).
 */
public final class KMeansFit {
  private static final Logger LOG = LoggerFactory.getLogger(KMeansFit.class);

  private KMeansFit() {}

  /**
   * What to fit.
   *
   * @param k centres, at least 1
   * @param maxIterations maximum Lloyd iterations after the initialization, at least 0
   * @param tolerance stop when {@code previous - inertia <= tolerance * inertia}; in [0, 1)
   * @param initSteps k-means|| rounds (MLlib's {@code initializationSteps}), at least 1
   * @param seed seed of the k-means|| sampling
   */
  public record Options(int k, int maxIterations, double tolerance, int initSteps, long seed) {
    /** Validates the ranges above. */
    public Options {
      if (k < 1) {
        throw new IllegalArgumentException("k-means k " + k + " must be at least 1");
      }
      if (maxIterations < 0) {
        throw new IllegalArgumentException("k-means maxIterations " + maxIterations + " must be at least 0");
      }
      if (!(tolerance >= 0 && tolerance < 1)) {
        throw new IllegalArgumentException("k-means tolerance " + tolerance + " must be in [0, 1)");
      }
      if (initSteps < 1) {
        throw new IllegalArgumentException("k-means initSteps " + initSteps + " must be at least 1");
      }
    }
  }

  /**
   * A fitted codebook and how it was reached.
   *
   * @param centres the centres (at most k; k-means|| returns fewer when the data has fewer distinct points)
   * @param inertias inertia of the centres each Lloyd iteration started from (before its update)
   * @param converged whether the tolerance stopped the iterations before {@code maxIterations}
   * @param initSeconds wall time of the k-means|| initialization (including packing the blocks for MLlib)
   * @param lloydSeconds wall time of the Lloyd iterations
   * @param searchFraction share of point visits over all iterations that searched all K centres (the rest
   *     were settled by Hamerly's bounds)
   */
  public record Result(double[][] centres, double[] inertias, boolean converged, double initSeconds, double lloydSeconds,
      double searchFraction) {
    /** Lloyd iterations run. */
    public int iterations() {
      return inertias.length;
    }
  }

  /** k-means|| initialization, then Lloyd iterations; {@code blocks} should be cached by the caller. */
  public static Result fit(JavaRDD<PointBlock> blocks, Options o) {
    long t0 = System.nanoTime();
    double[][] init = initParallel(blocks, o.k(), o.initSteps(), o.seed());
    double initSeconds = (System.nanoTime() - t0) / 1e9;
    Result r = lloyd(blocks, init, o.maxIterations(), o.tolerance());
    return new Result(r.centres(), r.inertias(), r.converged(), initSeconds, r.lloydSeconds(), r.searchFraction());
  }

  /**
   * Lloyd iterations from {@code init}: at most {@code maxIterations}, stopping after the first iteration whose
   * inertia improved on the previous one's by at most {@code tolerance} times itself (the update of that
   * iteration is still applied). {@code initSeconds} of the result is 0.
   */
  public static Result lloyd(JavaRDD<PointBlock> blocks, double[][] init, int maxIterations, double tolerance) {
    return lloyd(blocks, init, maxIterations, tolerance, it -> {});
  }

  /** Most lost-state recoveries of one fit before its failure is rethrown. */
  static final int MAX_RECOVERIES = 3;

  /** Runs on the driver before each Lloyd iteration (tests use it to drop executor state). */
  interface BeforeIteration {
    void run(int iteration);
  }

  static Result lloyd(JavaRDD<PointBlock> blocks, double[][] init, int maxIterations, double tolerance,
      BeforeIteration hook) {
    long t0 = System.nanoTime();
    List<Double> inertias = new ArrayList<>();
    Centres c = new Centres(init);
    double[] shifts = null;
    boolean converged = false;
    double previous = Double.POSITIVE_INFINITY;
    long searches = 0;
    long visits = 0;
    int recoveries = 0;
    JavaRDD<HamerlyBlock> state = blocks.map(HamerlyBlock::of);
    for (int it = 0; it < maxIterations && !converged; it++) {
      hook.run(it);
      Centres now = c;
      double[] moved = shifts;
      double[] gaps = c.halfGaps();
      JavaRDD<HamerlyBlock> next = state.map(h -> h.step(now, moved, gaps));
      // keep the new state in the executors' memory and cut its lineage, so that tasks stay small
      next.rdd().localCheckpoint();
      Tally t;
      try {
        t = next.map(h -> new Tally(h.stats().copy(), h.searches())).treeReduce(Tally::merge);
      } catch (Exception e) { // Scala does not declare SparkException, a checked exception in Java
        if (!(e instanceof SparkException)) {
          throw e;
        }
        // a block of the previous state is gone (lost executor): fresh bounds from the recomputable points
        next.unpersist(false);
        state.unpersist(false);
        if (++recoveries > MAX_RECOVERIES) {
          throw e;
        }
        LOG.warn("k-means iteration {} lost its executor state ({}); rebuilding the bounds from the points and "
            + "repeating it (recovery {} of at most {})", it + 1, e.getMessage(), recoveries, MAX_RECOVERIES);
        state = blocks.map(HamerlyBlock::of);
        shifts = null;
        it--;
        continue;
      }
      state.unpersist(false);
      state = next;
      LloydStats s = t.stats();
      inertias.add(s.inertia());
      searches += t.searches();
      for (int q = 0; q < c.k(); q++) {
        visits += s.count(q);
      }
      c = s.update(now);
      shifts = c.shifts(now);
      converged = previous - s.inertia() <= tolerance * s.inertia();
      previous = s.inertia();
    }
    state.unpersist(false);
    return new Result(c.toArrays(), inertias.stream().mapToDouble(Double::doubleValue).toArray(), converged, 0,
        (System.nanoTime() - t0) / 1e9, visits == 0 ? 0 : (double) searches / visits);
  }

  /** One step's statistics and full-search count, summed over blocks. */
  private record Tally(LloydStats stats, long searches) implements java.io.Serializable {
    Tally merge(Tally o) {
      return new Tally(stats.merge(o.stats), searches + o.searches);
    }
  }

  /**
   * MLlib's k-means|| initialization alone ({@link KMeans} with {@code maxIterations = 0}) over the points of
   * {@code blocks}, which are converted to MLlib vectors and cached for its passes, then released.
   */
  public static double[][] initParallel(JavaRDD<PointBlock> blocks, int k, int steps, long seed) {
    JavaRDD<Vector> vectors = blocks.flatMap(KMeansFit::vectors).persist(StorageLevel.MEMORY_ONLY());
    try {
      KMeansModel model = new KMeans().setK(k).setMaxIterations(0).setInitializationMode(KMeans.K_MEANS_PARALLEL())
          .setInitializationSteps(steps).setSeed(seed).run(vectors.rdd());
      Vector[] centres = model.clusterCenters();
      double[][] out = new double[centres.length][];
      for (int c = 0; c < centres.length; c++) {
        out[c] = centres[c].toArray();
      }
      return out;
    } finally {
      vectors.unpersist(false);
    }
  }

  /** One distributed Lloyd assignment pass: the statistics of all points against {@code centres}. */
  public static LloydStats step(JavaRDD<PointBlock> blocks, Centres centres) {
    return blocks.map(b -> LloydStats.of(b, centres)).treeReduce(LloydStats::merge);
  }

  /** Inertia of {@code centres} over all points (sum of squared distances to the nearest centre). */
  public static double inertia(JavaRDD<PointBlock> blocks, double[][] centres) {
    return step(blocks, new Centres(centres)).inertia();
  }

  /** Packs each partition of {@code points} into one block (cache the result for iterations). */
  public static JavaRDD<PointBlock> blocks(JavaRDD<double[]> points, int dim) {
    return points.mapPartitions(it -> List.of(PointBlock.pack(it, dim)).iterator());
  }

  private static Iterator<Vector> vectors(PointBlock b) {
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < b.size();
      }

      @Override
      public Vector next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException("block of " + b.size() + " points has no point " + i);
        }
        return Vectors.dense(b.point(i++));
      }
    };
  }
}
