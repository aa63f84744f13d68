package dev.quill.train;

import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matrix products with bfloat16 operands, float32 accumulation and float32 results, on oneDNN's {@code matmul}
 * primitive (JIT-compiled for the CPU's AVX-512 BF16 or AMX instructions): the mixed precision of Kalamkar et al.
 * 2019, "A Study of BFLOAT16 for Deep Learning Training" (bf16 operands of the products; master weights, gradients,
 * the loss and Adam in float32). On the reference machine (AMD EPYC, AVX-512 BF16, one thread) the default model's
 * products ran at 200–220 GFLOP/s against 110 for float32 (README, Performance).
 *
 * <p>An {@link Operand} is a float matrix in native memory with a bf16 copy of the same layout, converted by a oneDNN
 * reorder (round to nearest even) when {@link Operand#refresh} is called; a {@link Product} is {@code C = op(A) op(B)}
 * bound once ({@link Product#of}) to two operands and a row-major or column-major float result. Both keep their oneDNN objects for their lifetime, with their
 * scratchpads owned by the primitive ({@code scratchpad_mode::user}), so that a product may run on any thread, one
 * thread at a time. Products honour {@code OMP_NUM_THREADS} (oneDNN's OpenMP runtime): Quill's launchers set it to 1,
 * so each lane multiplies on its own thread only.
 */
final class Bf16Gemm {
  /** oneDNN's ISA bits of AVX-512 with BF16 instructions; the AMX ISAs contain them. */
  private static final int BF16_ISA = dnnl.cpu_isa.avx512_core_bf16.value;
  private static final Logger LOG = LoggerFactory.getLogger(Bf16Gemm.class);
  private static final Set<String> IMPLEMENTATIONS = new TreeSet<>();
  private static Availability availability;
  private static engine cpu;

  private Bf16Gemm() {}

  /**
   * Whether this JVM multiplies bf16 natively, and why not when it does not.
   *
   * @param nativeBf16 oneDNN loaded and the CPU has AVX-512 BF16 (or AMX)
   * @param isa oneDNN's name for the CPU's instruction set, or the reason oneDNN did not load
   */
  record Availability(boolean nativeBf16, String isa) {}

  /** Loads oneDNN once and reports whether the CPU multiplies bf16 natively. Never throws. */
  static synchronized Availability availability() {
    if (availability == null) {
      availability = probe();
      String threads = System.getenv("OMP_NUM_THREADS");
      if (availability.nativeBf16() && !"1".equals(threads)) {
        LOG.warn("OMP_NUM_THREADS is {}, not 1: each lane's bf16 products will start an OpenMP team of their own and "
            + "compete for the cores (bin/quill and spark-defaults.conf set it to 1)", threads == null ? "unset" : threads);
      }
    }
    return availability;
  }

  private static Availability probe() {
    try {
      Loader.load(dnnl.class);
      int isa = dnnl.dnnl_get_effective_cpu_isa();
      String name = "0x" + Integer.toHexString(isa);
      for (dnnl.cpu_isa known : dnnl.cpu_isa.values()) {
        if (known.value == isa) {
          name = known.name();
        }
      }
      return new Availability((isa & BF16_ISA) == BF16_ISA, name);
    } catch (Throwable e) {
      return new Availability(false, "oneDNN not loaded: " + e);
    }
  }

  /** The oneDNN implementations the products of this JVM chose so far, e.g. {@code [brg:avx512_core_bf16]}. */
  static synchronized String implementations() {
    return IMPLEMENTATIONS.toString();
  }

  private static synchronized engine engine() {
    MatmulPrecision.BF16.supportedHere();
    if (cpu == null) {
      cpu = new engine(engine.kind.cpu, 0);
    }
    return cpu;
  }

  private static memory.desc desc(long rows, long cols, memory.data_type type, boolean columnMajor) {
    return new memory.desc(new long[] {rows, cols}, type, columnMajor ? memory.format_tag.ba : memory.format_tag.ab);
  }

  private static primitive_attr userScratchpad() {
    primitive_attr attr = new primitive_attr();
    attr.set_scratchpad_mode(dnnl.scratchpad_mode.user);
    return attr;
  }

  /** A float matrix in native memory and its bf16 copy in the same layout. Not thread-safe. */
  static final class Operand {
    private final Cblas.Matrix source;
    private final memory single;
    private final memory half;
    private final reorder convert;
    private final stream stream;

    /** The operand of {@code source}, whose memory must outlive it; the copy is stale until {@link #refresh}. */
    Operand(Cblas.Matrix source) {
      engine eng = engine();
      this.source = source;
      this.single = new memory(desc(source.rows(), source.cols(), memory.data_type.f32, source.columnMajor()), eng,
          source.pointer());
      this.half = new memory(desc(source.rows(), source.cols(), memory.data_type.bf16, source.columnMajor()), eng);
      reorder.primitive_desc pd = new reorder.primitive_desc(single, half, userScratchpad(), false);
      if (pd.scratchpad_desc().get_size() != 0) {
        throw new IllegalStateException("oneDNN's f32 to bf16 reorder asks for a scratchpad");
      }
      this.convert = new reorder(pd);
      this.stream = new stream(eng);
    }

    /** Rounds the float matrix's current values to bf16 (to nearest, ties to even) into the copy. */
    void refresh() {
      convert.execute(stream, single, half);
      stream._wait();
    }

    /** The bf16 copy as {@code op(X)}: its own layout or, transposed, the other one, on the same memory. */
    private memory view(boolean transposed, engine eng) {
      if (!transposed) {
        return half;
      }
      return new memory(desc(source.cols(), source.rows(), memory.data_type.bf16, !source.columnMajor()), eng,
          half.get_data_handle());
    }
  }

  /** {@code C = op(A) op(B)}: bf16 operands, float32 accumulation into the float matrix C. Not thread-safe. */
  static final class Product {
    private final matmul primitive;
    private final IntMemoryMap args = new IntMemoryMap();
    private final stream stream;
    // The operands own the bf16 memory the views point into.
    private final Operand a;
    private final Operand b;

    /**
     * Binds {@code C = op(A) op(B)}; {@code c} must outlive it.
     *
     * @throws IllegalArgumentException if the shapes do not chain ({@link Cblas#checkChain})
     */
    static Product of(Operand a, boolean transA, Operand b, boolean transB, Cblas.Matrix c) {
      // A column-major C is the row-major transpose of op(B)^T op(A)^T, as in Cblas.gemm.
      return c.columnMajor() ? of(b, !transB, a, !transA, c.transposed()) : new Product(a, transA, b, transB, c);
    }

    private Product(Operand a, boolean transA, Operand b, boolean transB, Cblas.Matrix c) {
      Cblas.checkChain(a.source, transA, b.source, transB, c);
      engine eng = engine();
      this.a = a;
      this.b = b;
      memory src = a.view(transA, eng);
      memory weights = b.view(transB, eng);
      memory dst = new memory(desc(c.rows(), c.cols(), memory.data_type.f32, false), eng, c.pointer());
      matmul.primitive_desc pd = new matmul.primitive_desc(
          new matmul.desc(src.get_desc(), weights.get_desc(), dst.get_desc()), userScratchpad(), eng);
      String impl = pd.impl_info_str().getString();
      synchronized (Bf16Gemm.class) {
        IMPLEMENTATIONS.add(impl);
      }
      this.primitive = new matmul(pd);
      this.stream = new stream(eng);
      args.put(dnnl.DNNL_ARG_SRC, src);
      args.put(dnnl.DNNL_ARG_WEIGHTS, weights);
      args.put(dnnl.DNNL_ARG_DST, dst);
      if (pd.scratchpad_desc().get_size() > 0) {
        args.put(dnnl.DNNL_ARG_SCRATCHPAD, new memory(pd.scratchpad_desc(), eng));
      }
    }

    /** Multiplies the operands' current bf16 copies into C, overwriting it. */
    void run() {
      primitive.execute(stream, args);
      stream._wait();
    }
  }
}
