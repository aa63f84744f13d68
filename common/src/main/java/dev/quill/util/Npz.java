package dev.quill.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads 2-D little-endian float32 arrays from NumPy {@code .npz} archives (as written by
 * {@code numpy.savez}), so benchmarks can train on exactly the examples a Python peer uses.
 */
public final class Npz {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\)");

  private Npz() {}

  /**
   * A 2-D float array.
   *
   * @param rows number of rows
   * @param cols number of columns
   * @param data row-major values
   */
  public record Matrix(int rows, int cols, float[] data) {}

  /** Reads array {@code name} (without {@code .npy}) from {@code file}. */
  public static Matrix read(Path file, String name) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry entry = zip.getEntry(name + ".npy");
      if (entry == null) {
        throw new IllegalArgumentException(file + " has no array \"" + name + "\"");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return parse(in.readAllBytes(), file + ":" + name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static Matrix parse(byte[] bytes, String source) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N') {
      throw new IllegalArgumentException(source + " is not a .npy array");
    }
    int major = bytes[6];
    int headerLen = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8);
    int offset = major == 1 ? 10 : 12;
    String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IllegalArgumentException(source + ": unsupported .npy header " + header.trim());
    }
    if (!d.group(1).equals("<f4") || f.group(1).equals("True")) {
      throw new IllegalArgumentException(source + ": need a C-order little-endian float32 array, got descr "
          + d.group(1) + ", fortran_order " + f.group(1));
    }
    int rows = Integer.parseInt(s.group(1));
    int cols = Integer.parseInt(s.group(2));
    float[] data = new float[rows * cols];
    buf.position(offset + headerLen);
    buf.asFloatBuffer().get(data);
    return new Matrix(rows, cols, data);
  }
}
