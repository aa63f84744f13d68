package dev.quill.spark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quill.util.Json;
import dev.quill.util.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code quill bench-kmeans}: the k-means codebook fit Quill uses ({@link KMeans} of Spark MLlib, k-means||
 * initialization) against scikit-learn's Lloyd {@code KMeans} (k-means++ init, tol 1e-4) of
 * {@code kmeans_sklearn.py} on the same actions (the peer's synthetic teacher data, exported once as
 * {@code .npz}), in the same run. Quill's time is the fit alone (the data is cached first, as the peer's is
 * in memory); inertia is the sum of squared distances of all vectors to their nearest centre for both.
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
   * @param master Spark master for Quill
   * @param python Python interpreter for the peer
   */
  public record Options(Path peers, Path out, int n, int k, int iterations, String master, String python) {}

  /** Runs both and returns the table. */
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
      double[] quill = fitQuill(o, data);
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
      t.append(String.format("| Quill: Spark MLlib KMeans (k-means||, max %d iterations, %s) | %.2f | <= %d | %.6g | %.2f | %.3f |%n",
          o.iterations(), o.master(), quill[0], o.iterations(), quill[1], quill[0] / lloydS, quill[1] / lloydInertia));
      Json.writeFile(o.out().resolve("kmeans_quill.json"), java.util.Map.of("fit_s", quill[0], "inertia", quill[1],
          "iterations_max", o.iterations(), "master", o.master(), "n", o.n(), "k", o.k()));
      return t.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double[] fitQuill(Options o, Path data) {
    Npz.Matrix m = Npz.read(data, "actions");
    List<Vector> rows = new ArrayList<>(m.rows());
    for (int i = 0; i < m.rows(); i++) {
      double[] v = new double[m.cols()];
      for (int j = 0; j < v.length; j++) {
        v[j] = m.data()[i * m.cols() + j];
      }
      rows.add(Vectors.dense(v));
    }
    try (SparkSession spark = SparkSession.builder().master(o.master()).appName("quill-bench-kmeans")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate()) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      JavaRDD<Vector> rdd = jsc.parallelize(rows, jsc.defaultParallelism()).persist(StorageLevel.MEMORY_ONLY());
      rdd.count();
      long t0 = System.nanoTime();
      KMeansModel model = new KMeans().setK(o.k()).setMaxIterations(o.iterations())
          .setInitializationMode(KMeans.K_MEANS_PARALLEL()).setSeed(0).run(rdd.rdd());
      double seconds = (System.nanoTime() - t0) / 1e9;
      double inertia = model.computeCost(rdd.rdd());
      return new double[] {seconds, inertia};
    }
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
