package dev.quill.loss;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The distillation discrepancy {@code D(pi^Q(s), pi^FP(s))} of SQIL's L_QRD (Park et al., ICCV 2025, Eq. 7)
 * between a student's logits {@code z} and the teacher's logits {@code t}, both {@code [N, heads * bins]}
 * (factorized heads of equal vocabulary, softmax per head), per example:
 * <ul>
 *   <li>{@code logitMse} (the official code's choice): {@code (1 / (D B)) sum (z - t)^2}; gradient
 *       {@code 2 (z - t) / (D B)}</li>
 *   <li>{@code kl}: {@code (1 / D) sum_h KL(softmax(t_h) || softmax(z_h))}, the teacher's distribution first
 *       (the paper's KL option); gradient {@code (p_z - p_t) / D}</li>
 *   <li>{@code probMse}: {@code (1 / (D B)) sum (p_z - p_t)^2}; gradient per head
 *       {@code (2 / (D B)) p_z (d - <d, p_z>)} with {@code d = p_z - p_t} (softmax Jacobian)</li>
 * </ul>
 */
public final class TeacherDistance {
  /** Allowed distance names. */
  public static final List<String> NAMES = List.of("logitMse", "kl", "probMse");

  private TeacherDistance() {}

  /** Checks a distance name. */
  public static String check(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("distance must be one of " + NAMES + ", got " + name);
    }
    return name;
  }

  /** Per-example distance, {@code [N, 1]}. */
  public static INDArray score(String name, INDArray z, INDArray t, int heads, int bins) {
    return switch (check(name)) {
      case "logitMse" -> {
        INDArray d = z.sub(t);
        yield d.muli(d).sum(true, 1).divi((double) heads * bins);
      }
      case "kl" -> {
        INDArray out = z.sum(true, 1).assign(0);
        for (int h = 0; h < heads; h++) {
          INDArray lt = logSoftmax(head(t, h, bins));
          INDArray lz = logSoftmax(head(z, h, bins));
          out.addi(Transforms.exp(lt, true).muli(lt.sub(lz)).sum(true, 1));
        }
        yield out.divi(heads);
      }
      default -> {
        INDArray d = probs(z, heads, bins).subi(probs(t, heads, bins));
        yield d.muli(d).sum(true, 1).divi((double) heads * bins);
      }
    };
  }

  /** Gradient of the per-example distance with respect to {@code z}, {@code [N, heads * bins]}. */
  public static INDArray gradient(String name, INDArray z, INDArray t, int heads, int bins) {
    return switch (check(name)) {
      case "logitMse" -> z.sub(t).muli(2.0 / ((double) heads * bins));
      case "kl" -> probs(z, heads, bins).subi(probs(t, heads, bins)).divi(heads);
      default -> {
        INDArray pz = probs(z, heads, bins);
        INDArray d = pz.sub(probs(t, heads, bins));
        INDArray g = z.ulike();
        for (int h = 0; h < heads; h++) {
          INDArray p = head(pz, h, bins);
          INDArray dh = head(d, h, bins);
          INDArray inner = dh.mul(p).sum(true, 1);
          head(g, h, bins).assign(p.mul(dh.subColumnVector(inner)));
        }
        yield g.muli(2.0 / ((double) heads * bins));
      }
    };
  }

  /** Per-head softmax of logits {@code [N, heads * bins]} (a new array). */
  public static INDArray probs(INDArray z, int heads, int bins) {
    INDArray p = z.dup('c');
    for (int h = 0; h < heads; h++) {
      head(p, h, bins).assign(Transforms.exp(logSoftmax(head(z, h, bins)), false));
    }
    return p;
  }

  private static INDArray head(INDArray a, int h, int bins) {
    return a.get(NDArrayIndex.all(), NDArrayIndex.interval((long) h * bins, (long) (h + 1) * bins));
  }

  private static INDArray logSoftmax(INDArray x) {
    INDArray m = x.max(true, 1);
    INDArray shifted = x.subColumnVector(m);
    INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
    return shifted.subiColumnVector(lse);
  }
}
