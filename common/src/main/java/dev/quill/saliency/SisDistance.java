package dev.quill.saliency;

import dev.quill.quant.ActionTokenizer;
import java.io.Serializable;
import java.util.List;

/**
 * The distance between the teacher's outputs at a state and at its perturbation, {@code S(s, k)} of SQIL's
 * saliency score (Park et al., ICCV 2025, Eq. 4). Outputs are the logits of factorized heads (softmax per head):
 * <ul>
 *   <li>{@code logitMse}: {@code 1/2 ||z - z_k||^2} over all logits (the official code's choice; the default)</li>
 *   <li>{@code kl}: {@code sum_h KL(softmax(z_h) || softmax(z_k,h))}</li>
 *   <li>{@code probMse}: {@code 1/2 ||p - p_k||^2} over the per-head softmaxes</li>
 *   <li>{@code action}: {@code 1/2 ||a - a_k||^2} between the decoded actions (argmax token per head, decoded
 *       by the tokenizer at the unperturbed state)</li>
 * </ul>
 */
@FunctionalInterface
public interface SisDistance extends Serializable {
  /** Allowed names. */
  List<String> NAMES = List.of("logitMse", "kl", "probMse", "action");

  /** The distance between the outputs {@code z} at {@code state} and {@code zk} at its perturbation. */
  double between(double[] state, float[] z, float[] zk);

  /** The distance {@code name} over heads of {@code tokenizer}'s vocabulary sizes. */
  static SisDistance of(String name, ActionTokenizer tokenizer) {
    int[] vocab = new int[tokenizer.numHeads()];
    for (int h = 0; h < vocab.length; h++) {
      vocab[h] = tokenizer.vocabSize(h);
    }
    return switch (name) {
      case "logitMse" -> (s, z, zk) -> {
        double d = 0;
        for (int c = 0; c < z.length; c++) {
          double diff = z[c] - zk[c];
          d += diff * diff;
        }
        return 0.5 * d;
      };
      case "kl" -> (s, z, zk) -> {
        double[] p = HeadSoftmax.probs(z, vocab);
        double[] pk = HeadSoftmax.probs(zk, vocab);
        double kl = 0;
        for (int c = 0; c < p.length; c++) {
          if (p[c] > 0) {
            kl += p[c] * (Math.log(p[c]) - Math.log(Math.max(pk[c], Double.MIN_NORMAL)));
          }
        }
        return kl;
      };
      case "probMse" -> (s, z, zk) -> {
        double[] p = HeadSoftmax.probs(z, vocab);
        double[] pk = HeadSoftmax.probs(zk, vocab);
        double d = 0;
        for (int c = 0; c < p.length; c++) {
          d += (p[c] - pk[c]) * (p[c] - pk[c]);
        }
        return 0.5 * d;
      };
      case "action" -> (s, z, zk) -> {
        double[] a = tokenizer.decode(s, HeadSoftmax.argmax(z, vocab));
        double[] ak = tokenizer.decode(s, HeadSoftmax.argmax(zk, vocab));
        double d = 0;
        for (int c = 0; c < a.length; c++) {
          d += (a[c] - ak[c]) * (a[c] - ak[c]);
        }
        return 0.5 * d;
      };
      default -> throw new IllegalArgumentException("saliency distance must be one of " + NAMES + ", got " + name);
    };
  }
}
