package dev.quill.spark.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.quill.data.BadInputException;
import dev.quill.data.Columns;
import dev.quill.data.Finding;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Column presence and type rules of {@code ingest}. These concern the whole input, so they always fail
 * (nothing to quarantine) with a message naming the column, the type found and the type expected.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  /** Requires the LeRobot-style columns with usable types. */
  static void requireColumns(Dataset<Row> df, InputLayout layout) {
    integral(df, Columns.EPISODE, layout);
    integral(df, Columns.FRAME, layout);
    vector(df, Columns.STATE, layout);
    vector(df, Columns.ACTION, layout);
    optionalNumeric(df, Columns.TIMESTAMP, layout);
    optionalNumeric(df, Columns.REWARD, layout);
  }

  /**
   * Casts to the canonical types (int64 indices, float32 vectors and scalars) and fills optional columns
   * that are absent: {@code timestamp} = frame index, {@code next.reward} = 0, {@code next.done} and
   * {@code next.success} = false.
   */
  static Dataset<Row> canonicalTypes(Dataset<Row> df) {
    return df
        .withColumn(Columns.EPISODE, col(Columns.EPISODE).cast(DataTypes.LongType))
        .withColumn(Columns.FRAME, col(Columns.FRAME).cast(DataTypes.LongType))
        .withColumn(Columns.STATE, col(q(Columns.STATE)).cast(DataTypes.createArrayType(DataTypes.FloatType)))
        .withColumn(Columns.ACTION, col(q(Columns.ACTION)).cast(DataTypes.createArrayType(DataTypes.FloatType)))
        .withColumn(Columns.TIMESTAMP, orDefault(df, Columns.TIMESTAMP, col(Columns.FRAME)).cast(DataTypes.FloatType))
        .withColumn(Columns.REWARD, orDefault(df, Columns.REWARD, lit(0f)).cast(DataTypes.FloatType))
        .withColumn(Columns.DONE, orDefault(df, Columns.DONE, lit(false)).cast(DataTypes.BooleanType))
        .withColumn(Columns.SUCCESS, orDefault(df, Columns.SUCCESS, lit(false)).cast(DataTypes.BooleanType));
  }

  private static Column orDefault(Dataset<Row> df, String column, Column fallback) {
    return has(df, column) ? col(q(column)) : fallback;
  }

  private static boolean has(Dataset<Row> df, String column) {
    for (String name : df.columns()) {
      if (name.equals(column)) {
        return true;
      }
    }
    return false;
  }

  private static DataType typeOf(Dataset<Row> df, String column, InputLayout layout) {
    for (StructField f : df.schema().fields()) {
      if (f.name().equals(column)) {
        return f.dataType();
      }
    }
    throw fail(layout, column, "column " + column + " is missing; found columns " + List.of(df.columns())
        + " (rule missing_column)");
  }

  private static void integral(Dataset<Row> df, String column, InputLayout layout) {
    DataType t = typeOf(df, column, layout);
    if (!(t == DataTypes.LongType || t == DataTypes.IntegerType || t == DataTypes.ShortType || t == DataTypes.ByteType)) {
      throw fail(layout, column, "column " + column + " has type " + t.simpleString() + ", expected an integer type (rule wrong_type)");
    }
  }

  private static void vector(Dataset<Row> df, String column, InputLayout layout) {
    DataType t = typeOf(df, column, layout);
    if (!(t instanceof ArrayType at) || !(at.elementType() instanceof NumericType)) {
      throw fail(layout, column, "column " + column + " has type " + t.simpleString()
          + ", expected an array of numbers (one vector per frame) (rule wrong_type)");
    }
  }

  private static void optionalNumeric(Dataset<Row> df, String column, InputLayout layout) {
    if (has(df, column) && !(typeOf(df, column, layout) instanceof NumericType)) {
      throw fail(layout, column, "column " + column + " has type " + typeOf(df, column, layout).simpleString()
          + ", expected a number (rule wrong_type)");
    }
  }

  private static BadInputException fail(InputLayout layout, String column, String message) {
    String where = layout.root() + " (" + layout.dataFiles().size() + " Parquet file(s))";
    return new BadInputException(where + ": " + message,
        List.of(new Finding(layout.root().toString(), -1, column, -1, "schema", where + ": " + message)));
  }

  private static String q(String column) {
    return "`" + column + "`";
  }
}
