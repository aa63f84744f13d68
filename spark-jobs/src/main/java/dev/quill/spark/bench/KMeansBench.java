package dev.quill.spark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quill.spark.kmeans.KMeansFit;
import dev.quill.spark.kmeans.PointBlock;
import dev.quill.util.Json;
import dev.quill.util.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code quill bench-kmeans}: Quill's k-means codebook fit ({@link KMeansFit}: MLlib's k-means||
 * initialization, then Quill's Lloyd iterations over cached blocks until the relative inertia change is at most
 * the tolerance) against scikit-learn's Lloyd {@code KMeans} (k-means++ init, tol 1e-4) of
 * {@code kmeans_sklearn.py} on the same actions (the peer's synthetic teacher data, exported once as
 * {@code .npz}), in the same run; optionally also plain MLlib {@link KMeans} (k-means|| and MLlib's own Lloyd
 * iterations), the fit Quill used before. Quill's time is the fit alone (the blocks are cached first, as the
 * peer's array is in memory); inertia is the sum of squared distances of all vectors to their nearest centre,
 * recomputed on the full data for every row. Also prints Quill's per-phase times.
 */
public final class KMeansBench {
  private KMeansBench() {}

  /**
   * Options.
   *
   * @param peers folder with {@code peerdata.py} and {@code kmeans_sklearn.py}
   * @param out folder for the data and the JSON records
   * @param n action vectors
   * @param k centres
   * @param iterations Quill's maximum Lloyd iterations
   * @param tolerance Quill's relative inertia change that stops the iterations
   * @param initSteps k-means|| rounds (MLlib's {@code initializationSteps})
   * @param partitions Spark partitions of the data (0: the master's default parallelism)
   * @param mllibIterations iterations of the plain MLlib KMeans row; 0 leaves that row out
   * @param master Spark master for Quill
   * @param python Python interpreter for the peer
   */
  public record Options(Path peers, Path out, int n, int k, int iterations, double tolerance, int initSteps, int partitions,
      int mllibIterations, String master, String python) {}

  /** Runs both and returns the tables. */
  public static String run(Options o) {
    try {
      Files.createDirectories(o.out());
      Path data = o.out().resolve("kmeans_" + o.n() + ".npz");
      if (!Files.exists(data)) {
        exec(List.of(o.python(), o.peers().resolve("peerdata.py").toString(), "--n", "" + o.n(), "--out", data.toString()));
      }
      Path peerJson = o.out().resolve("kmeans_sklearn.json");
      exec(List.of(o.python(), o.peers().resolve("kmeans_sklearn.py").toString(), "--data", data.toString(), "--k", "" + o.k(),
          "--quiet-wait", "10", "--json", peerJson.toString()));
      JsonNode peer = Json.read(peerJson, JsonNode.class).path("metrics");
      Map<String, Object> q = fitQuill(o, data);
      double lloydS = peer.path("kmeans").path("fit_s").asDouble();
      double lloydInertia = peer.path("kmeans").path("inertia").asDouble();
      StringBuilder t = new StringBuilder();
      t.append(String.format("%n| fit (N=%d, D=6, K=%d) | time (s) | iterations | inertia | time / sklearn Lloyd | inertia / sklearn Lloyd |%n",
          o.n(), o.k()));
      t.append("|---|---|---|---|---|---|\n");
      t.append(String.format("| sklearn KMeans (Lloyd, k-means++, tol 1e-4, 2 threads) | %.2f | %d | %.6g | 1.00 | 1.000 |%n",
          lloydS, peer.path("kmeans").path("n_iter").asInt(), lloydInertia));
      if (peer.has("minibatch")) {
        JsonNode mb = peer.path("minibatch");
        t.append(String.format("| sklearn MiniBatchKMeans (batch 1024) | %.2f | %d | %.6g | %.2f | %.3f |%n", mb.path("fit_s").asDouble(),
            mb.path("n_iter").asInt(), mb.path("inertia").asDouble(), mb.path("fit_s").asDouble() / lloydS,
            mb.path("inertia").asDouble() / lloydInertia));
      }
      double fitS = (double) q.get("fit_s");
      double inertia = (double) q.get("inertia");
      t.append(String.format("| Quill: MLlib k-means|| (%d steps) + Quill Lloyd (tol %.0e, max %d, %s) | %.2f | %d | %.6g | %.2f | %.3f |%n",
          o.initSteps(), o.tolerance(), o.iterations(), o.master(), fitS, (int) q.get("iterations"), inertia, fitS / lloydS, inertia / lloydInertia));
      if (q.containsKey("mllib_fit_s")) {
        double ms = (double) q.get("mllib_fit_s");
        double mi = (double) q.get("mllib_inertia");
        t.append(String.format("| Spark MLlib KMeans alone (k-means||, max %d iterations, %s) | %.2f | <= %d | %.6g | %.2f | %.3f |%n",
            o.mllibIterations(), o.master(), ms, o.mllibIterations(), mi, ms / lloydS, mi / lloydInertia));
      }
      t.append(String.format("%nQuill phases: Spark start, executors read their .npz slices and cache them %.2f s (not in the fit), "
          + "k-means|| init %.2f s, %d Lloyd iterations %.2f s (%.3f s / iteration; %.1f %% of point visits searched all K centres), "
          + "final inertia pass %.2f s (not in the fit); "
          + "partitions %d; MLlib's BLAS: %s%n", q.get("load_s"), q.get("init_s"), q.get("iterations"),
          q.get("lloyd_s"), (double) q.get("lloyd_s") / Math.max(1, (int) q.get("iterations")), 100 * (double) q.get("search_fraction"), q.get("cost_s"),
          q.get("partitions"), q.get("blas")));
      q.put("n", o.n());
      q.put("k", o.k());
      q.put("master", o.master());
      q.put("tolerance", o.tolerance());
      q.put("iterations_max", o.iterations());
      q.put("init_steps", o.initSteps());
      Json.writeFile(o.out().resolve("kmeans_quill.json"), q);
      return t.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> fitQuill(Options o, Path data) {
    Map<String, Object> r = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    try (SparkSession spark = SparkSession.builder().master(o.master()).appName("quill-bench-kmeans")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate()) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int parts = o.partitions() > 0 ? o.partitions() : jsc.defaultParallelism();
      List<Integer> ids = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        ids.add(p);
      }
      // each executor reads its own slice of the file: no task carries the data (a parallelized collection
      // would ship it inside every task of every pass)
      String file = data.toAbsolutePath().toString();
      JavaRDD<PointBlock> blocks = jsc.parallelize(ids, parts).map(p -> slice(Path.of(file), p, parts))
          .persist(StorageLevel.MEMORY_ONLY());
      long t1 = System.nanoTime();
      blocks.count();
      long t2 = System.nanoTime();
      KMeansFit.Result fit = KMeansFit.fit(blocks, new KMeansFit.Options(o.k(), o.iterations(), o.tolerance(), o.initSteps(), 0));
      long t3 = System.nanoTime();
      double inertia = KMeansFit.inertia(blocks, fit.centres());
      long t4 = System.nanoTime();
      r.put("fit_s", (t3 - t2) / 1e9);
      r.put("inertia", inertia);
      r.put("iterations", fit.iterations());
      r.put("converged", fit.converged());
      r.put("load_s", (t2 - t0) / 1e9);
      r.put("init_s", fit.initSeconds());
      r.put("lloyd_s", fit.lloydSeconds());
      r.put("cost_s", (t4 - t3) / 1e9);
      r.put("search_fraction", fit.searchFraction());
      r.put("inertia_trace", fit.inertias());
      r.put("partitions", parts);
      r.put("blas", dev.ludovic.netlib.blas.JavaBLAS.getInstance().getClass().getName());
      if (o.mllibIterations() > 0) {
        JavaRDD<Vector> rdd = blocks.flatMap(b -> {
          List<Vector> vs = new ArrayList<>(b.size());
          for (int i = 0; i < b.size(); i++) {
            vs.add(Vectors.dense(b.point(i)));
          }
          return vs.iterator();
        }).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        long t5 = System.nanoTime();
        KMeansModel model = new KMeans().setK(o.k()).setMaxIterations(o.mllibIterations())
            .setInitializationMode(KMeans.K_MEANS_PARALLEL()).setSeed(0).run(rdd.rdd());
        r.put("mllib_fit_s", (System.nanoTime() - t5) / 1e9);
        double[][] c = new double[model.clusterCenters().length][];
        for (int i = 0; i < c.length; i++) {
          c[i] = model.clusterCenters()[i].toArray();
        }
        r.put("mllib_inertia", KMeansFit.inertia(blocks, c));
        rdd.unpersist(false);
      }
      return r;
    }
  }

  /** Part {@code p} of {@code parts} of the actions in {@code file}, as one block of doubles. */
  private static PointBlock slice(Path file, int p, int parts) {
    Npz.Matrix m = Npz.read(file, "actions");
    int from = (int) ((long) m.rows() * p / parts);
    int to = (int) ((long) m.rows() * (p + 1) / parts);
    double[] v = new double[(to - from) * m.cols()];
    for (int i = 0; i < v.length; i++) {
      v[i] = m.data()[from * m.cols() + i];
    }
    return new PointBlock(m.cols(), v);
  }

  private static void exec(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).inheritIO();
    pb.environment().remove("OMP_NUM_THREADS");
    try {
      int code = pb.start().waitFor();
      if (code != 0) {
        throw new IllegalStateException("exit code " + code + " from " + String.join(" ", cmd));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd.get(1), e);
    }
  }
}
