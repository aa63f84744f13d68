package dev.quill.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenBLAS kernels Quill chooses for the CPU, instead of OpenBLAS's own detection.
 *
 * <p>OpenBLAS built with {@code DYNAMIC_ARCH} (ND4J's bundled 0.3.19, Debian's 0.3.21) picks its GEMM
 * kernels from the CPU's model, and on CPUs newer than the library that choice is poor: on AMD Zen 5 ND4J's
 * 0.3.19 takes its SSE "Barcelona" kernels (37 GFLOP/s on one core at the default model's output-layer
 * shape), its AVX2 "Haswell" kernels reach 88–97 and its AVX-512 "SkylakeX" kernels 160–185 (README,
 * Performance). The rule: a CPU with AVX-512 F, CD, BW, DQ and VL gets OpenBLAS's {@code SkylakeX}
 * kernels; any other CPU keeps the library's choice.
 *
 * <p>OpenBLAS reads {@code OPENBLAS_CORETYPE} once, when it loads, so the choice must be in the
 * environment before the JVM starts: {@code bin/quill} exports it (same rule, from
 * {@code /proc/cpuinfo}) unless the environment already sets it ({@code QUILL_BLAS_KERNELS=cpu} overrides,
 * {@code library} leaves OpenBLAS alone), {@code quill bench} passes it to the rows that use it,
 * and a {@code local-cluster} Spark master passes the driver's value to its executors
 * ({@code QuillSpark}). A JVM started otherwise logs one warning naming the variable
 * ({@link #warnIfNotChosen}). The choice never changes results beyond float rounding: both kernels
 * compute the same products, and {@link #verifyGemm} checks that before training (older OpenBLAS builds
 * are known to compute wrong results with their own detection on some new CPUs, which is why some
 * machines set {@code OPENBLAS_CORETYPE} for everyone; {@code bin/quill} therefore keeps a value already set
 * unless told otherwise).
 */
public final class BlasKernels {
  /** The environment variable OpenBLAS reads at load time. */
  public static final String ENV = "OPENBLAS_CORETYPE";
  /** OpenBLAS's kernel set for CPUs with AVX-512 F, CD, BW, DQ and VL. */
  public static final String AVX512_CORE = "SkylakeX";
  /** The CPU flags (as {@code /proc/cpuinfo} names them) that {@link #AVX512_CORE} needs. */
  public static final List<String> AVX512_FLAGS = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

  private static final Logger LOG = LoggerFactory.getLogger(BlasKernels.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private static volatile boolean verified;

  private BlasKernels() {}

  /**
   * Checks, once per JVM, that ND4J's GEMM through the OpenBLAS kernels in effect computes correct
   * products: {@code C = op(A) op(B)} for every transpose combination and both storage orders, on the
   * default model's output-layer shape and on odd shapes that exercise the kernels' edge blocks,
   * against a double-precision reference. An entry may differ from it by at most
   * {@code 4e-5 * sum_k |a_ik b_kj|} (float accumulation over {@code k <= 256} terms).
   *
   * @throws IllegalStateException naming the kernels, the shape and the worst error if a product is wrong
   */
  public static void verifyGemm() {
    if (verified) {
      return;
    }
    synchronized (BlasKernels.class) {
      if (!verified) {
        GemmCheck.run(describe());
        verified = true;
      }
    }
  }

  /**
   * The kernel set Quill chooses for a CPU with these flags: {@link #AVX512_CORE} when all of
   * {@link #AVX512_FLAGS} are present, otherwise empty (leave OpenBLAS's own detection).
   */
  public static Optional<String> choose(Set<String> cpuFlags) {
    return cpuFlags.containsAll(AVX512_FLAGS) ? Optional.of(AVX512_CORE) : Optional.empty();
  }

  /** The choice for this machine's CPU ({@link #cpuFlags()}, read once per JVM). */
  public static Optional<String> chooseForThisCpu() {
    return ThisCpu.CHOICE;
  }

  /** Holds this CPU's choice: {@code /proc/cpuinfo} is read on first use only. */
  private static final class ThisCpu {
    static final Optional<String> CHOICE = choose(cpuFlags());
  }

  /**
   * What training does once per JVM before its first step ({@code LocalTrainer.fit}, each Spark worker of
   * parameter averaging): {@link #warnIfNotChosen} and {@link #verifyGemm}.
   *
   * @throws IllegalStateException if the kernels in effect compute wrong products
   */
  public static void checkBeforeTraining() {
    warnIfNotChosen();
    verifyGemm();
  }

  /**
   * The flags of this machine's first CPU from {@code /proc/cpuinfo}; empty where that file does not
   * exist or has no {@code flags} line (not Linux on x86), so that the library's choice is kept.
   */
  public static Set<String> cpuFlags() {
    return cpuFlags(Path.of("/proc/cpuinfo"));
  }

  /** The flags of the first {@code flags : ...} line of a {@code /proc/cpuinfo}-format file. */
  static Set<String> cpuFlags(Path cpuinfo) {
    if (!Files.isReadable(cpuinfo)) {
      return Set.of();
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      return lines.filter(l -> l.startsWith("flags"))
          .findFirst()
          .map(l -> Stream.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toUnmodifiableSet()))
          .orElse(Set.of());
    } catch (IOException | java.io.UncheckedIOException e) {
      return Set.of();
    }
  }

  /** The kernel set in effect for this JVM: the value of {@link #ENV}, or "OpenBLAS's own detection". */
  public static String describe() {
    String env = System.getenv(ENV);
    return env == null || env.isBlank() ? "OpenBLAS's own detection" : env;
  }

  /**
   * Tells, once per JVM, when the kernels in effect are not Quill's choice for this CPU: a warning when
   * {@link #ENV} is unset (OpenBLAS then uses its own detection, which takes the AVX2 kernels, or worse,
   * on AVX-512 CPUs newer than it), an info line when the environment set other kernels on purpose
   * (kept; {@code QUILL_BLAS_KERNELS=cpu bin/quill ...} overrides it). Returns whether it logged.
   */
  public static boolean warnIfNotChosen() {
    Optional<String> choice = chooseForThisCpu();
    String env = System.getenv(ENV);
    boolean unset = env == null || env.isBlank();
    if (choice.isEmpty() || choice.get().equalsIgnoreCase(env) || !WARNED.compareAndSet(false, true)) {
      return false;
    }
    if (unset) {
      LOG.warn("this CPU has AVX-512 but {} is not set, so OpenBLAS picks its kernels by its own detection, which takes "
          + "the AVX2 kernels or worse on CPUs newer than it, such as AMD Zen 4/5 (2x or more slower GEMMs); set {}={} "
          + "in the environment before the JVM starts (bin/quill does; for Spark executors spark.executorEnv.{}={} when "
          + "every executor has AVX-512)", ENV, ENV, choice.get(), ENV, choice.get());
    } else {
      LOG.info("OpenBLAS kernels {} as set in the environment ({}); this CPU could use {} (QUILL_BLAS_KERNELS=cpu bin/quill "
          + "... chooses them, README Performance)", env, ENV, choice.get());
    }
    return true;
  }
}
