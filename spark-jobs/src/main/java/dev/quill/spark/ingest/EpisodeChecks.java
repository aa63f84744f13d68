package dev.quill.spark.ingest;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.quill.data.Columns;
import dev.quill.data.Finding;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * The per-episode rules of {@code ingest} as Spark aggregate expressions over one episode's rows, and
 * their translation into {@link Finding}s. Each row-level check counts offending rows and records the
 * first offending frame, so a report can point at it.
 */
final class EpisodeChecks {
  private static final String FILE = "_file";
  /** Positions in the sorted (frame, timestamp) list where the timestamp does not increase. */
  private static final String TS_BAD = "filter(sequence(1, greatest(size(ts) - 1, 1)), i -> i < size(ts) AND ts[i].t <= ts[i - 1].t)";

  private final List<RowCheck> rowChecks;
  private final int stateDim;
  private final int actionDim;

  EpisodeChecks(int stateDim, int actionDim) {
    String s = "`" + Columns.STATE + "`";
    String a = "`" + Columns.ACTION + "`";
    String r = "`" + Columns.REWARD + "`";
    rowChecks = List.of(
        new RowCheck("c0", Rule.MISSING_VALUE, Columns.FRAME, col(Columns.FRAME).isNull(), null),
        new RowCheck("c1", Rule.MISSING_VALUE, Columns.STATE, col(s).isNull(), null),
        new RowCheck("c2", Rule.MISSING_VALUE, Columns.ACTION, col(a).isNull(), null),
        new RowCheck("c3", Rule.MISSING_VALUE, Columns.REWARD, col(r).isNull(), null),
        new RowCheck("c4", Rule.WRONG_LENGTH, Columns.STATE, col(s).isNotNull().and(size(col(s)).notEqual(stateDim)), size(col(s))),
        new RowCheck("c5", Rule.WRONG_LENGTH, Columns.ACTION, col(a).isNotNull().and(size(col(a)).notEqual(actionDim)), size(col(a))),
        new RowCheck("c6", Rule.NON_FINITE, Columns.STATE, nonFinite(s), null),
        new RowCheck("c7", Rule.NON_FINITE, Columns.ACTION, nonFinite(a), null),
        new RowCheck("c8", Rule.NON_FINITE, Columns.REWARD, expr("isnan(" + r + ") OR abs(" + r + ") = float('Infinity')"), null));
    this.stateDim = stateDim;
    this.actionDim = actionDim;
  }

  /** Aggregates over one episode's rows; the grouping column comes first in the result row. */
  Column[] aggregates() {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    aggs.add(countDistinct(col(Columns.FRAME)).as("distinct"));
    aggs.add(min(col(Columns.FRAME)).as("minFrame"));
    aggs.add(max(col(Columns.FRAME)).as("maxFrame"));
    aggs.add(array_sort(collect_set(col(FILE))).as("files"));
    aggs.add(array_sort(collect_list(struct(col(Columns.FRAME).as("f"), col(Columns.TIMESTAMP).as("t")))).as("ts"));
    for (RowCheck c : rowChecks) {
      aggs.add(sum(when(c.flag(), 1).otherwise(0)).as(c.name() + "_count"));
      aggs.add(min(when(c.flag(), col(Columns.FRAME))).as(c.name() + "_frame"));
      aggs.add(first(when(c.flag(), c.detail() == null ? lit(null) : c.detail()), true).as(c.name() + "_detail"));
    }
    return aggs.toArray(Column[]::new);
  }

  /** True for the aggregated episodes that break at least one rule. */
  Column anyBroken() {
    Column broken = col("n").notEqual(col("distinct"))
        .or(col("minFrame").notEqual(0))
        .or(col("maxFrame").notEqual(col("n").minus(1)))
        .or(size(col("files")).gt(1))
        .or(col("n").equalTo(1))
        .or(size(expr(TS_BAD)).gt(0));
    for (RowCheck c : rowChecks) {
      broken = broken.or(col(c.name() + "_count").gt(0));
    }
    return broken;
  }

  /** Findings of one aggregated episode row. */
  List<Finding> findings(Row r) {
    long episode = r.getLong(0);
    List<String> files = r.getList(r.fieldIndex("files"));
    String file = String.join(", ", files);
    long n = r.getLong(r.fieldIndex("n"));
    long distinct = r.getLong(r.fieldIndex("distinct"));
    List<Finding> out = new ArrayList<>();
    if (files.size() > 1) {
      out.add(finding(file, episode, Columns.EPISODE, -1, Rule.DUPLICATE_EPISODE, "occurs in " + files.size() + " files"));
    }
    if (n > distinct) {
      out.add(finding(file, episode, Columns.FRAME, -1, Rule.FRAME_REPEAT, n + " rows but only " + distinct + " distinct frame indices"));
    }
    Object minFrame = r.get(r.fieldIndex("minFrame"));
    Object maxFrame = r.get(r.fieldIndex("maxFrame"));
    if (minFrame != null && ((Long) minFrame != 0 || (Long) maxFrame - (Long) minFrame + 1 != distinct)) {
      out.add(finding(file, episode, Columns.FRAME, -1, Rule.FRAME_GAP,
          distinct + " distinct frame indices span " + minFrame + ".." + maxFrame + ", expected 0.." + (distinct - 1)));
    }
    if (n == 1) {
      out.add(finding(file, episode, Columns.FRAME, -1, Rule.SHORT_EPISODE, "1 frame"));
    }
    List<Row> ts = r.getList(r.fieldIndex("ts"));
    for (int i = 1; i < ts.size(); i++) {
      Row prev = ts.get(i - 1);
      Row cur = ts.get(i);
      if (!cur.anyNull() && !prev.anyNull() && cur.getFloat(1) <= prev.getFloat(1)) {
        out.add(finding(file, episode, Columns.TIMESTAMP, cur.getLong(0), Rule.NON_MONOTONE_TIMESTAMP,
            "timestamp " + cur.getFloat(1) + " after " + prev.getFloat(1) + " at frame " + prev.get(0)));
        break;
      }
    }
    for (RowCheck c : rowChecks) {
      long count = r.getLong(r.fieldIndex(c.name() + "_count"));
      if (count == 0) {
        continue;
      }
      Object frameObj = r.get(r.fieldIndex(c.name() + "_frame"));
      long frame = frameObj == null ? -1 : (Long) frameObj;
      String detail = count + " row(s)";
      if (c.rule() == Rule.WRONG_LENGTH) {
        int expected = Columns.STATE.equals(c.column()) ? stateDim : actionDim;
        detail += ", e.g. length " + r.get(r.fieldIndex(c.name() + "_detail")) + " where " + expected + " is expected";
      }
      out.add(finding(file, episode, c.column(), frame, c.rule(), detail));
    }
    return out;
  }

  private static Finding finding(String file, long episode, String column, long frame, Rule rule, String detail) {
    String where = file + ": episode " + episode + ", column " + column + (frame >= 0 ? ", frame " + frame : "");
    return new Finding(file, episode, column, frame, rule.id(),
        where + ": " + rule.description() + " (" + detail + ") (rule " + rule.id() + ")");
  }

  private static Column nonFinite(String quotedArray) {
    return expr("exists(" + quotedArray + ", x -> x IS NULL OR isnan(x) OR abs(x) = float('Infinity'))");
  }

  /** One row-level rule: its flag column and an optional detail value (e.g. the observed length). */
  private record RowCheck(String name, Rule rule, String column, Column flag, Column detail) {}
}
