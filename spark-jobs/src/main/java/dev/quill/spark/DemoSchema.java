package dev.quill.spark;

import dev.quill.data.Columns;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Spark schemas of Quill's Parquet datasets. */
public final class DemoSchema {
  private DemoSchema() {}

  /** LeRobot-style per-frame columns written by {@code generate}. */
  public static StructType demonstrations() {
    return new StructType(new StructField[] {
        DataTypes.createStructField(Columns.EPISODE, DataTypes.LongType, false),
        DataTypes.createStructField(Columns.FRAME, DataTypes.LongType, false),
        DataTypes.createStructField(Columns.TIMESTAMP, DataTypes.FloatType, false),
        DataTypes.createStructField(Columns.STATE, DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField(Columns.ACTION, DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField(Columns.REWARD, DataTypes.FloatType, false),
        DataTypes.createStructField(Columns.DONE, DataTypes.BooleanType, false),
        DataTypes.createStructField(Columns.SUCCESS, DataTypes.BooleanType, false)});
  }

  /** Column reference for a name with dots (e.g. {@code observation.state}). */
  public static String quoted(String column) {
    return "`" + column + "`";
  }
}
