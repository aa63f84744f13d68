package dev.quill.spark;

import dev.quill.data.Columns;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reading the canonical dataset written by {@code ingest}. */
public final class Datasets {
  private Datasets() {}

  /** All rows of the canonical dataset at {@code dataset}. */
  public static Dataset<Row> read(SparkSession spark, Path dataset) {
    return spark.read().parquet(dataset.resolve("data").toUri().toString());
  }

  /** Training rows (not held out). */
  public static Dataset<Row> train(SparkSession spark, Path dataset) {
    return read(spark, dataset).filter("NOT " + Columns.HELDOUT);
  }

  /** Held-out rows. */
  public static Dataset<Row> heldout(SparkSession spark, Path dataset) {
    return read(spark, dataset).filter(Columns.HELDOUT);
  }

  /** A float-array column of a row as doubles. */
  public static double[] vector(Row row, int index) {
    List<Float> values = row.getList(index);
    double[] v = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return v;
  }
}
