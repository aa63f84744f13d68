package dev.quill.hdf5;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.lang.reflect.Array;

/**
 * Typed access to jHDF datasets: presence, rank and dtype checks (as {@link FormatProblem}s naming the key)
 * and conversion of numeric, boolean and HDF5-enum-boolean (h5py's {@code bool}) data to float arrays.
 */
final class Hdf5Arrays {
  private Hdf5Arrays() {}

  /** The dataset at {@code key} under {@code group}; a problem when absent or not a dataset. */
  static Dataset dataset(Group group, String key, String shownKey) {
    Node node = group.getChildren().get(key);
    if (!(node instanceof Dataset d)) {
      throw new FormatProblem(Hdf5Rule.MISSING_KEY, shownKey, "dataset " + shownKey + " " + Hdf5Rule.MISSING_KEY.description()
          + (node == null ? "" : " (found a group)"));
    }
    return d;
  }

  /** Requires a numeric (or flag) dataset whose rank is one of {@code ranks}. */
  static Dataset checked(Dataset d, String key, int... ranks) {
    if (!(d.getDataType() instanceof FloatingPoint || d.getDataType() instanceof FixedPoint
        || d.getDataType() instanceof EnumDataType || d.getJavaType() == boolean.class)) {
      throw new FormatProblem(Hdf5Rule.WRONG_DTYPE, key, "dataset " + key + " holds "
          + d.getDataType().getClass().getSimpleName() + " values (" + d.getJavaType().getSimpleName()
          + "), expected numbers");
    }
    int rank = d.getDimensions().length;
    boolean ok = false;
    for (int r : ranks) {
      ok |= r == rank;
    }
    if (!ok) {
      throw new FormatProblem(Hdf5Rule.WRONG_RANK, key, "dataset " + key + " has shape "
          + java.util.Arrays.toString(d.getDimensions()) + " (rank " + rank + "), expected rank "
          + (ranks.length == 1 ? ranks[0] : java.util.Arrays.toString(ranks)));
    }
    return d;
  }

  /** Rows {@code [start, start + n)} of a rank-2 dataset (all rows when {@code n < 0}) as float vectors. */
  static float[][] matrix(Dataset d, long start, long n) {
    int[] dims = d.getDimensions();
    int rows = (int) (n < 0 ? dims[0] : n);
    int cols = dims[1];
    float[] flat = n < 0 ? flat(d.getDataFlat()) : flat(flatten(d.getData(new long[] {start, 0}, new int[] {rows, cols})));
    float[][] out = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }

  /** Entries {@code [start, start + n)} (all when {@code n < 0}) of a dataset of rank 1, or rank 2 with one column. */
  static float[] vector(Dataset d, long start, long n) {
    int[] dims = d.getDimensions();
    if (n < 0) {
      return flat(d.getDataFlat());
    }
    int[] shape = dims.length == 1 ? new int[] {(int) n} : new int[] {(int) n, 1};
    long[] offset = dims.length == 1 ? new long[] {start} : new long[] {start, 0};
    return flat(flatten(d.getData(offset, shape)));
  }

  /** Steps (first dimension) of a dataset. */
  static long steps(Dataset d) {
    return d.getDimensionsAsLong()[0];
  }

  private static Object flatten(Object nested) {
    if (nested == null || !nested.getClass().isArray() || !nested.getClass().getComponentType().isArray()) {
      return nested;
    }
    int outer = Array.getLength(nested);
    java.util.List<Object> parts = new java.util.ArrayList<>();
    int total = 0;
    for (int i = 0; i < outer; i++) {
      Object part = flatten(Array.get(nested, i));
      parts.add(part);
      total += Array.getLength(part);
    }
    Object out = Array.newInstance(parts.isEmpty() ? float.class : parts.get(0).getClass().getComponentType(), total);
    int pos = 0;
    for (Object part : parts) {
      int len = Array.getLength(part);
      System.arraycopy(part, 0, out, pos, len);
      pos += len;
    }
    return out;
  }

  /** Any flat jHDF result (primitive numbers, booleans, enum names {@code TRUE/FALSE}) as floats. */
  static float[] flat(Object data) {
    if (data instanceof float[] f) {
      return f;
    }
    int n = Array.getLength(data);
    float[] out = new float[n];
    if (data instanceof double[] d) {
      for (int i = 0; i < n; i++) {
        out[i] = (float) d[i];
      }
    } else if (data instanceof boolean[] b) {
      for (int i = 0; i < n; i++) {
        out[i] = b[i] ? 1f : 0f;
      }
    } else if (data instanceof String[] s) {
      for (int i = 0; i < n; i++) {
        out[i] = "TRUE".equalsIgnoreCase(s[i]) || "1".equals(s[i]) ? 1f : 0f;
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = ((Number) Array.get(data, i)).floatValue();
      }
    }
    return out;
  }
}
