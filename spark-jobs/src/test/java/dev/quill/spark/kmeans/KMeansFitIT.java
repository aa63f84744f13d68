package dev.quill.spark.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.spark.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link KMeansFit} on real Spark: hand-computed iterations, and Lloyd steps identical to MLlib's. */
class KMeansFitIT {
  private static SparkSession spark;
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("local[2]", KMeansFitIT.class);
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  @Test
  void lloyd_twoClustersOverThreePartitions_convergesToHandComputedMeans() {
    List<double[]> pts = List.of(new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 1}, new double[] {10, 10},
        new double[] {11, 10});
    JavaRDD<PointBlock> blocks = KMeansFit.blocks(jsc.parallelize(pts, 3), 2).cache();
    KMeansFit.Result r = KMeansFit.lloyd(blocks, new double[][] {{0, 0}, {10, 10}}, 10, 0.0);
    // iteration 1 from the init: 0 + 1 + 1 + 0 + 1 = 3; then the means (1/3, 1/3) and (10.5, 10):
    // 2/9 + 5/9 + 5/9 + 1/4 + 1/4 = 11/6, and again 11/6 (no improvement: converged)
    assertArrayEquals(new double[] {3, 11.0 / 6, 11.0 / 6}, r.inertias(), 1e-12);
    assertTrue(r.converged());
    assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3}, r.centres()[0], 1e-15);
    assertArrayEquals(new double[] {10.5, 10}, r.centres()[1], 1e-15);
  }

  @Test
  void lloyd_oneIterationFromMllibsInit_sameCountsAndCentresAsMllib() {
    int k = 8;
    List<double[]> pts = mixture(3000, 3, k, 7);
    JavaRDD<PointBlock> blocks = KMeansFit.blocks(jsc.parallelize(pts, 2), 3).cache();
    double[][] init = KMeansFit.initParallel(blocks, k, 2, 11);
    assertEquals(k, init.length);

    JavaRDD<Vector> vectors = jsc.parallelize(pts, 2).map(Vectors::dense).cache();
    Vector[] initVectors = new Vector[k];
    for (int c = 0; c < k; c++) {
      initVectors[c] = Vectors.dense(init[c]);
    }
    KMeansModel initModel = new KMeansModel(initVectors);
    Map<Integer, Long> mllibCounts = initModel.predict(vectors).countByValue();
    KMeansModel mllib = new KMeans().setK(k).setMaxIterations(1).setInitialModel(initModel).run(vectors.rdd());

    LloydStats stats = KMeansFit.step(blocks, new Centres(init));
    KMeansFit.Result quill = KMeansFit.lloyd(blocks, init, 1, 0.0);
    for (int c = 0; c < k; c++) {
      assertEquals(mllibCounts.getOrDefault(c, 0L).longValue(), stats.count(c), "centre " + c);
      assertArrayEquals(mllib.clusterCenters()[c].toArray(), quill.centres()[c], 1e-9, "centre " + c);
    }
    assertEquals(initModel.computeCost(vectors.rdd()), quill.inertias()[0], 1e-9 * quill.inertias()[0]);
  }

  @Test
  void lloyd_executorStateLostMidFit_recoversWithTheSameResult() {
    // uniform points: no cluster structure, so Lloyd keeps moving the centres for many iterations
    Random random = new Random(5);
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      pts.add(new double[] {random.nextDouble(), random.nextDouble(), random.nextDouble()});
    }
    JavaRDD<PointBlock> blocks = KMeansFit.blocks(jsc.parallelize(pts, 2), 3).cache();
    int blocksId = blocks.id();
    double[][] init = KMeansFit.initParallel(blocks, 6, 2, 3);
    KMeansFit.Result clean = KMeansFit.lloyd(blocks, init, 8, 0.0);
    assertEquals(8, clean.iterations(), "the clean fit must still be moving when the state is dropped");
    int[] dropped = {0};
    KMeansFit.Result recovered = KMeansFit.lloyd(blocks, init, 8, 0.0, it -> {
      if (it == 4) {
        // what a lost executor does to the locally checkpointed bounds: their blocks are gone
        scala.collection.Iterator<org.apache.spark.rdd.RDD<?>> rdds = jsc.sc().getPersistentRDDs().valuesIterator();
        while (rdds.hasNext()) {
          org.apache.spark.rdd.RDD<?> rdd = rdds.next();
          if (rdd.id() != blocksId) {
            rdd.unpersist(true);
            dropped[0]++;
          }
        }
      }
    });
    assertTrue(dropped[0] > 0, "the test must drop some executor state");
    assertArrayEquals(clean.inertias(), recovered.inertias(), 0.0);
    for (int c = 0; c < clean.centres().length; c++) {
      assertArrayEquals(clean.centres()[c], recovered.centres()[c], 0.0, "centre " + c);
    }
  }

  @Test
  void fit_mixtureOfWellSeparatedBlobs_reachesTheBlobsInertia() {
    int k = 5;
    List<double[]> pts = mixture(2000, 2, k, 3);
    JavaRDD<PointBlock> blocks = KMeansFit.blocks(jsc.parallelize(pts, 2), 2).cache();
    KMeansFit.Result r = KMeansFit.fit(blocks, new KMeansFit.Options(k, 50, 1e-6, 2, 1));
    // blobs of unit-variance noise 100 apart: the optimum is the blob means, inertia about 2000 points x 2 dims x 1
    assertEquals(4000, KMeansFit.inertia(blocks, r.centres()), 4000 * 0.1);
    for (int i = 1; i < r.iterations(); i++) {
      assertTrue(r.inertias()[i] <= r.inertias()[i - 1] * (1 + 1e-12), "iteration " + i + " raised the inertia");
    }
    assertTrue(r.initSeconds() > 0 && r.lloydSeconds() > 0);
  }

  /** {@code n} points: {@code k} blobs with centres 100 apart along each axis, unit Gaussian noise. */
  private static List<double[]> mixture(int n, int dim, int k, long seed) {
    Random rnd = new Random(seed);
    List<double[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int blob = i % k;
      double[] p = new double[dim];
      for (int j = 0; j < dim; j++) {
        p[j] = 100.0 * ((blob >> j) & 1) + 100.0 * blob * (j == 0 ? 1 : 0) + rnd.nextGaussian();
      }
      out.add(p);
    }
    return out;
  }
}
