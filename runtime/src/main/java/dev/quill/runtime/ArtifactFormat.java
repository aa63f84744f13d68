package dev.quill.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The exported policy file ({@code .qpol}, format versions 1 and 2): big-endian ({@link DataOutputStream}), in order
 * <ol>
 *   <li>magic {@code "QUILLPOL"} (8 ASCII bytes), {@code int} format version;</li>
 *   <li>metadata: {@code int} length + UTF-8 JSON;</li>
 *   <li>normalizer: {@code int} stateDim, {@code double[stateDim]} mean, {@code double[stateDim]} std;</li>
 *   <li>{@code int} number of dense layers L (trunk layers, then the head's output layer); per layer:
 *       {@code byte} activation code, {@code byte} weight format code, {@code int} nIn, {@code int} nOut,
 *       then fp32: {@code float[nIn*nOut]}; int8/int4: {@code int} scale count (1 or nOut),
 *       {@code float[]} scales, {@code int} byte count, the levels ({@link DenseLayer}); then
 *       {@code float[nOut]} biases; version 2 only: {@code byte} activation quantizer (0 none, 1 LSQ, then
       {@code byte} bits, {@code byte} signed (0/1), {@code float} step; {@link ActivationQuantizer}, applied
       after the activation);</li>
 *   <li>head: string type ({@code factorized} | {@code autoregressive}), {@code int} tokens, {@code int[]}
 *       vocabularies; autoregressive adds for each {@code j} and {@code i < j} {@code float[B_i*B_j]};</li>
 *   <li>decoder: string type then its fields: {@code uniform} {@code int} B, {@code int} D, low[D], high[D];
 *       {@code quantile} {@code int} D, per dimension {@code int} B, edges[B+1], centres[B]; {@code mulaw}
 *       {@code int} B, {@code double} mu, {@code int} D, scale[D]; {@code kmeans}/{@code rvq} {@code int} D,
 *       offset[D], scale[D], {@code int} S, per stage {@code int} K and {@code double[K*D]}; {@code dithered}
 *       {@code long} seed, {@code int} D, halfWidth[D], then the base decoder;</li>
 *   <li>{@code int} CRC-32 of every byte before it.</li>
 * </ol>
 * Strings are {@code int} length + UTF-8. Readers refuse other magics, newer versions and bad checksums with
 * a message naming the file.
 *
 * <p>Versions: 1 has no activation quantizers; 2 adds the per-layer quantizer byte (LSQ activation
 * quantization, Esser et al., ICLR 2020). The writer writes version 1 when no layer has a quantizer (so such
 * files stay readable by version-1 runtimes, byte for byte what they were) and version 2 otherwise.
 */
public final class ArtifactFormat {
  /** File magic. */
  public static final String MAGIC = "QUILLPOL";
  /** Newest format version written and read. */
  public static final int VERSION = 2;
  /** The format version without activation quantizers. */
  public static final int VERSION_WEIGHTS_ONLY = 1;

  private ArtifactFormat() {}

  /** Serializes {@code model}. */
  public static byte[] toBytes(PolicyModel model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
      DenseLayer headLayer = headLayer(model.head());
      int version = versionOf(model);
      out.writeInt(version);
      Io.writeString(out, model.metadata());
      Normalizer n = model.normalizer();
      out.writeInt(n.dim());
      Io.writeDoubles(out, n.mean());
      Io.writeDoubles(out, n.std());
      out.writeInt(model.trunk().size() + 1);
      for (DenseLayer l : model.trunk()) {
        writeLayer(out, l, version);
      }
      writeLayer(out, headLayer, version);
      writeHead(out, model.head());
      DecoderCodec.write(out, model.decoder());
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The version {@link #toBytes} writes: 2 when a layer has an activation quantizer, else 1. */
  public static int versionOf(PolicyModel model) {
    boolean quantized = headLayer(model.head()).quantizer() != null;
    for (DenseLayer l : model.trunk()) {
      quantized |= l.quantizer() != null;
    }
    return quantized ? VERSION : VERSION_WEIGHTS_ONLY;
  }

  /** Writes {@code model} to {@code file} atomically (temporary file in the same folder, then rename). */
  public static void write(PolicyModel model, Path file) {
    byte[] bytes = toBytes(model);
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      try {
        Files.write(tmp, bytes);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads an artifact file. */
  public static PolicyModel read(Path file) {
    try {
      return fromBytes(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses an artifact; {@code source} names it in errors. */
  public static PolicyModel fromBytes(byte[] bytes, String source) {
    if (bytes.length < 16 || !MAGIC.equals(new String(bytes, 0, 8, StandardCharsets.US_ASCII))) {
      throw new IllegalArgumentException(source + ": not a Quill policy artifact (magic \"" + MAGIC + "\" missing)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    int stored = ((bytes[bytes.length - 4] & 0xFF) << 24) | ((bytes[bytes.length - 3] & 0xFF) << 16)
        | ((bytes[bytes.length - 2] & 0xFF) << 8) | (bytes[bytes.length - 1] & 0xFF);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 8, bytes.length - 12))) {
      int version = in.readInt();
      if (version < 1 || version > VERSION) {
        throw new IllegalArgumentException(source + ": format version " + version + " is not supported; this runtime reads 1 to " + VERSION);
      }
      if ((int) crc.getValue() != stored) {
        throw new IllegalArgumentException(source + ": checksum mismatch (file truncated or corrupted)");
      }
      String metadata = Io.readString(in);
      int stateDim = in.readInt();
      Normalizer normalizer = new Normalizer(Io.readDoubles(in, stateDim), Io.readDoubles(in, stateDim));
      int count = in.readInt();
      if (count < 1 || count > 64) {
        throw new IllegalArgumentException(source + ": " + count + " layers, expected 1 to 64");
      }
      List<DenseLayer> layers = new ArrayList<>();
      for (int l = 0; l < count; l++) {
        layers.add(readLayer(in, source + ", layer " + l, version));
      }
      DenseLayer output = layers.remove(count - 1);
      Head head = readHead(in, output, source);
      ActionDecoder decoder = DecoderCodec.read(in, source);
      if (in.available() != 0) {
        throw new IllegalArgumentException(source + ": " + in.available() + " unexpected bytes after the decoder");
      }
      return new PolicyModel(metadata, normalizer, layers, head, decoder);
    } catch (EOFException e) {
      throw new IllegalArgumentException(source + ": truncated artifact", e);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(source)) {
        throw e;
      }
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static DenseLayer headLayer(Head head) {
    if (head instanceof FactorizedHead f) {
      return f.output();
    }
    if (head instanceof AutoregressiveHead a) {
      return a.output();
    }
    throw new IllegalArgumentException("cannot write head type " + head.type());
  }

  private static void writeLayer(DataOutputStream out, DenseLayer l, int version) throws IOException {
    out.writeByte(l.activation().code());
    out.writeByte(l.format().code());
    out.writeInt(l.nIn());
    out.writeInt(l.nOut());
    if (l.format() == WeightFormat.FP32) {
      Io.writeFloats(out, l.storedWeights());
    } else {
      out.writeInt(l.storedScales().length);
      Io.writeFloats(out, l.storedScales());
      out.writeInt(l.storedLevels().length);
      out.write(l.storedLevels());
    }
    Io.writeFloats(out, l.storedBias());
    if (version >= 2) {
      ActivationQuantizer q = l.quantizer();
      out.writeByte(q == null ? 0 : 1);
      if (q != null) {
        out.writeByte(q.bits());
        out.writeByte(q.signed() ? 1 : 0);
        out.writeFloat(q.step());
      }
    }
  }

  private static DenseLayer readLayer(DataInputStream in, String where, int version) throws IOException {
    Activation act = Activation.ofCode(in.readByte(), where);
    WeightFormat format = WeightFormat.ofCode(in.readByte(), where);
    int nIn = in.readInt();
    int nOut = in.readInt();
    if (nIn < 1 || nOut < 1 || (long) nIn * nOut > (1L << 28)) {
      throw new IllegalArgumentException(where + ": bad shape [" + nIn + ", " + nOut + "]");
    }
    float[] weights = null;
    byte[] levels = null;
    float[] scales = null;
    if (format == WeightFormat.FP32) {
      weights = Io.readFloats(in, nIn * nOut);
    } else {
      int ns = in.readInt();
      if (ns != 1 && ns != nOut) {
        throw new IllegalArgumentException(where + ": " + ns + " scales, expected 1 or " + nOut);
      }
      scales = Io.readFloats(in, ns);
      int nb = in.readInt();
      if (nb < 0 || nb > (1 << 28)) {
        throw new IllegalArgumentException(where + ": bad level byte count " + nb);
      }
      levels = new byte[nb];
      in.readFully(levels);
    }
    float[] bias = Io.readFloats(in, nOut);
    try {
      DenseLayer layer = DenseLayer.fromStorage(nIn, nOut, format, act, weights, levels, scales, bias);
      return version >= 2 ? layer.withQuantizer(readQuantizer(in)) : layer;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static ActivationQuantizer readQuantizer(DataInputStream in) throws IOException {
    int kind = in.readByte();
    if (kind == 0) {
      return null;
    }
    if (kind != 1) {
      throw new IllegalArgumentException("unknown activation quantizer code " + kind + " (known: 0 none, 1 lsq)");
    }
    int bits = in.readByte();
    int signed = in.readByte();
    if (signed != 0 && signed != 1) {
      throw new IllegalArgumentException("activation quantizer signed flag " + signed + ", expected 0 or 1");
    }
    return new ActivationQuantizer(bits, signed == 1, in.readFloat());
  }

  private static void writeHead(DataOutputStream out, Head head) throws IOException {
    Io.writeString(out, head.type());
    out.writeInt(head.numTokens());
    for (int j = 0; j < head.numTokens(); j++) {
      out.writeInt(head.vocabSize(j));
    }
    if (head instanceof AutoregressiveHead ar) {
      for (int j = 0; j < head.numTokens(); j++) {
        for (int i = 0; i < j; i++) {
          Io.writeFloats(out, ar.embedding(j, i));
        }
      }
    }
  }

  private static Head readHead(DataInputStream in, DenseLayer output, String source) throws IOException {
    String type = Io.readString(in);
    int n = in.readInt();
    if (n < 1 || n > 4096) {
      throw new IllegalArgumentException(source + ": head has " + n + " tokens, expected 1 to 4096");
    }
    int[] vocab = new int[n];
    for (int j = 0; j < n; j++) {
      vocab[j] = in.readInt();
    }
    switch (type) {
      case "factorized":
        return new FactorizedHead(output, vocab);
      case "autoregressive":
        float[][][] e = new float[n][][];
        for (int j = 0; j < n; j++) {
          e[j] = new float[j][];
          for (int i = 0; i < j; i++) {
            e[j][i] = Io.readFloats(in, vocab[i] * vocab[j]);
          }
        }
        return new AutoregressiveHead(output, vocab, e);
      default:
        throw new IllegalArgumentException(source + ": unknown head type \"" + type + "\" (known: factorized, autoregressive)");
    }
  }

}
