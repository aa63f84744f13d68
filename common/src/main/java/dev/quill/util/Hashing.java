package dev.quill.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 content hashes of files and folder trees, for run manifests. */
public final class Hashing {
  private Hashing() {}

  /**
   * Hash of a file, or of a folder tree (relative paths and contents of its regular files in path order,
   * ignoring hidden files such as Hadoop's {@code .crc} side files). Returns {@code "missing"} if absent.
   */
  public static String sha256(Path path) {
    if (!Files.exists(path)) {
      return "missing";
    }
    MessageDigest md = newDigest();
    try {
      if (Files.isRegularFile(path)) {
        update(md, path);
      } else {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
          files = walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted().toList();
        }
        for (Path f : files) {
          md.update(path.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
          update(md, f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + path, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Hash of a string. */
  public static String sha256(String text) {
    return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void update(MessageDigest md, Path file) throws IOException {
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
