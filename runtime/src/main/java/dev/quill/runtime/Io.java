package dev.quill.runtime;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Big-endian array and string helpers of {@link ArtifactFormat}. */
final class Io {
  private Io() {}

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 24)) {
      throw new IllegalArgumentException("bad string length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  static void writeFloats(DataOutputStream out, float[] v) throws IOException {
    for (float x : v) {
      out.writeFloat(x);
    }
  }

  static float[] readFloats(DataInputStream in, int n) throws IOException {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }

  static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
    for (double x : v) {
      out.writeDouble(x);
    }
  }

  static double[] readDoubles(DataInputStream in, int n) throws IOException {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readDouble();
    }
    return v;
  }

}
