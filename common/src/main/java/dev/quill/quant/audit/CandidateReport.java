package dev.quill.quant.audit;

import dev.quill.quant.ActionTokenizer;

/**
 * The audit's figures for one tokenizer on one dataset.
 *
 * @param name candidate name, e.g. {@code quantile-128} or {@code configured}
 * @param type tokenizer family
 * @param vocabSizePerHead vocabulary size of each head
 * @param actions training actions measured
 * @param epsMeanPerDim mean reconstruction error per action dimension
 * @param epsMaxPerDim max reconstruction error per action dimension
 * @param relativeEps mean over action dimensions of {@code epsMean_j / std_j} (dimensions with zero spread skipped)
 * @param usedCodesPerHead codes used at least once, per head
 * @param deadCodesPerHead codes never used, per head
 * @param perplexityPerHead {@code exp(entropy)} of the code distribution, per head
 * @param examplesPerCode fewest training actions per used code over the heads
 * @param consecutivePairs consecutive-step pairs checked
 * @param consecutiveViolations consecutive-step pairs where quantization added more than k·epsMean
 * @param neighbourPairs sampled nearest-neighbour pairs checked
 * @param neighbourViolations nearest-neighbour pairs where quantization added more than k·epsMean
 */
public record CandidateReport(String name, String type, int[] vocabSizePerHead, long actions, double[] epsMeanPerDim,
    double[] epsMaxPerDim, double relativeEps, int[] usedCodesPerHead, int[] deadCodesPerHead,
    double[] perplexityPerHead, double examplesPerCode, long consecutivePairs, long consecutiveViolations,
    long neighbourPairs, long neighbourViolations) {

  /** Assembles the report from the accumulators; {@code actionStd} scales {@link #relativeEps()}. */
  public static CandidateReport of(String name, ActionTokenizer t, CodeUsage usage, Smoothness consecutive,
      Smoothness neighbours, double[] actionStd) {
    int heads = t.numHeads();
    int[] vocab = new int[heads];
    int[] used = new int[heads];
    int[] dead = new int[heads];
    double[] perplexity = new double[heads];
    long n = usage.eps().count();
    double perCode = Double.POSITIVE_INFINITY;
    for (int h = 0; h < heads; h++) {
      vocab[h] = t.vocabSize(h);
      used[h] = usage.usedCodes(h);
      dead[h] = usage.deadCodes(h);
      perplexity[h] = usage.perplexity(h);
      perCode = Math.min(perCode, used[h] == 0 ? 0 : (double) n / used[h]);
    }
    double[] mean = usage.eps().meanPerDim();
    double rel = 0;
    int dims = 0;
    for (int j = 0; j < mean.length; j++) {
      if (actionStd[j] > 0) {
        rel += mean[j] / actionStd[j];
        dims++;
      }
    }
    return new CandidateReport(name, t.type(), vocab, n, mean, usage.eps().maxPerDim(), dims == 0 ? 0 : rel / dims,
        used, dead, perplexity, perCode, consecutive.pairs(), consecutive.violations(), neighbours.pairs(),
        neighbours.violations());
  }

  /** Smoothness thresholds {@code k * epsMean_j} of a tokenizer with these errors. */
  public static double[] thresholds(CodeUsage usage, double k) {
    double[] t = usage.eps().meanPerDim();
    for (int j = 0; j < t.length; j++) {
      t[j] *= k;
    }
    return t;
  }

  /** Violation rate over both kinds of pairs (0 without pairs). */
  public double violationRate() {
    long pairs = consecutivePairs + neighbourPairs;
    return pairs == 0 ? 0 : (double) (consecutiveViolations + neighbourViolations) / pairs;
  }

  /** Total vocabulary (sum over heads). */
  public long totalVocab() {
    long s = 0;
    for (int v : vocabSizePerHead) {
      s += v;
    }
    return s;
  }
}
