package dev.quill.theory;

import java.util.SplittableRandom;

/**
 * Table 1 of {@code quill experiment bc-theory}: a quantized expert executed directly (no learning) on a
 * scalar system {@code x' = a x + u} whose expert {@code pi*(x) = -(a - rho) x} gives the closed loop
 * {@code x' = rho x}; actions are quantized with {@code bins} uniform bins on [-1, 1] (centre decoding,
 * edge bins for values outside). Reported per (bins, horizon): the state deviation
 * {@code max_t |x_t - x~_t|} between the raw and the quantized expert from the same initial state, and
 * the regret {@code sum_t |q(pi*(x~_t)) - pi*(x~_t)|} (reward {@code 1 - |u - pi*(x)|}), averaged over
 * episodes. For a stable closed loop ({@code rho < 1}) theory predicts deviation proportional to the bin
 * width and independent of the horizon, and regret linear in horizon and bin width (Cao &amp; Xie 2026,
 * Theorem 3 with kappa = 0); for {@code rho > 1} the deviation grows like {@code rho^H} (claims 1 and 2 of
 * papers.md).
 */
public final class BinningExperiment {
  private BinningExperiment() {}

  /**
   * One cell of table 1.
   *
   * @param rho closed-loop factor
   * @param bins number of bins
   * @param horizon steps
   * @param deviation mean over episodes of max_t |x_t - x~_t|
   * @param regret mean over episodes of the summed action error
   */
  public record Cell(double rho, int bins, int horizon, double deviation, double regret) {}

  /** Runs one cell; initial states are drawn from {@code U[-0.5, 0.5]}. */
  public static Cell run(double a, double rho, int bins, int horizon, int episodes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double gain = a - rho;
    double width = 2.0 / bins;
    double dev = 0;
    double regret = 0;
    for (int e = 0; e < episodes; e++) {
      double x = rng.nextDouble(-0.5, 0.5);
      double xq = x;
      double maxDev = 0;
      double sum = 0;
      for (int t = 0; t < horizon; t++) {
        double u = -gain * x;
        double uqRaw = -gain * xq;
        double uq = quantize(uqRaw, width, bins);
        sum += Math.abs(uq - uqRaw);
        x = a * x + u;
        xq = a * xq + uq;
        maxDev = Math.max(maxDev, Math.abs(x - xq));
      }
      dev += maxDev;
      regret += sum;
    }
    return new Cell(rho, bins, horizon, dev / episodes, regret / episodes);
  }

  static double quantize(double u, double width, int bins) {
    int idx = (int) Math.max(0, Math.min(bins - 1, Math.floor((u + 1) / width)));
    return -1 + (idx + 0.5) * width;
  }
}
