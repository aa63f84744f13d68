package dev.quill.quant.trap;

import dev.quill.quant.ActionTokenizer;

/**
 * The adversarial "learned" quantizer of Cao &amp; Xie (2026), Theorem 6, for the scalar system
 * {@code x' = A x + B u} with expert {@code u = arctan(x)} (papers.md B7; the audit's constants
 * A = 0.2, B = 0.3, k = 2, d = 1.2). Its training error is O(eps) under the expert's state distribution,
 * yet the deployed closed loop is trapped in a 2-cycle with Omega(1) error per step. The action is 1-D; since
 * {@code arctan} is a bijection the decoded action is a function of the state {@code x = tan(a)}:
 *
 * <ul>
 *   <li>{@code I_P = [-k eps/2, k eps/2]}: {@code (d + 1/2) eps / B} (token {@code n}),
 *   <li>{@code I_T1 = [d eps, (d + 1) eps]}: {@code 1} (token {@code n + 1}),
 *   <li>{@code I_T2 = [A d eps + B, A (d + 1) eps + B]}: {@code (d + 1)(1 - A^2) eps / B - A} (token {@code n + 2}),
 *   <li>elsewhere: uniform bins of width eps anchored at -2 on [-2, 2], decoded to the centre (tokens
 *       {@code 0..n-1}, {@code n = ceil(4 / eps)}), the pseudo-code's {@code binQ}.
 * </ul>
 *
 * <p>Later regions win where they overlap (the pseudo-code's order). The paper's default branch is
 * {@code arctan(x) - eps/2}, which no finite vocabulary represents; the bins used instead also err by at
 * most eps/2, and the deployed fixed point {@code |x| <= B eps / (2 (1 - A - B))} still lies in {@code I_P},
 * so the trap works the same. Test instance only: {@link #exactRoundTrip()} is false (token
 * {@code n + 1} decodes to 1, whose state {@code tan 1} is in no trap region).
 */
public final class Theorem6Quantizer implements ActionTokenizer {
  private static final long serialVersionUID = 1L;
  /** Type name used in the tokenizer file. */
  public static final String TYPE = "theorem6";

  private final double a;
  private final double b;
  private final double k;
  private final double d;
  private final double eps;
  private final int bins;

  /**
   * Creates the quantizer; requires the theorem's conditions {@code d > k/2 > B / (1 - A - B)},
   * {@code A k < 1}, {@code 0 < A}, {@code 0 < B}, {@code A + B < 1} and {@code eps} in (0, 0.5].
   */
  public Theorem6Quantizer(double a, double b, double k, double d, double eps) {
    double lambda = a + b;
    if (!(a > 0 && b > 0 && lambda < 1 && d > k / 2 && k / 2 > b / (1 - lambda) && a * k < 1 && eps > 0 && eps <= 0.5)) {
      throw new IllegalArgumentException("Theorem 6 needs A, B > 0, A + B < 1, d > k/2 > B/(1-A-B), A k < 1 and eps in (0, 0.5];"
          + " got A=" + a + ", B=" + b + ", k=" + k + ", d=" + d + ", eps=" + eps);
    }
    this.a = a;
    this.b = b;
    this.k = k;
    this.d = d;
    this.eps = eps;
    this.bins = (int) Math.ceil(4 / eps);
  }

  /** The audit's instance: A = 0.2, B = 0.3, k = 2, d = 1.2. */
  public static Theorem6Quantizer auditInstance(double eps) {
    return new Theorem6Quantizer(0.2, 0.3, 2, 1.2, eps);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Dynamics coefficient A. */
  public double a() {
    return a;
  }

  /** Input coefficient B. */
  public double b() {
    return b;
  }

  /** Width parameter k of I_P. */
  public double k() {
    return k;
  }

  /** Offset parameter d of I_T1. */
  public double d() {
    return d;
  }

  /** Resolution eps. */
  public double eps() {
    return eps;
  }

  @Override
  public int actionDim() {
    return 1;
  }

  @Override
  public int numHeads() {
    return 1;
  }

  @Override
  public int vocabSize(int head) {
    return bins + 3;
  }

  @Override
  public boolean exactRoundTrip() {
    return false;
  }

  /** Token of the state {@code x} (the action {@code arctan x} is implied). */
  public int encodeState(double x) {
    int t = (int) Math.max(0, Math.min(bins - 1, Math.floor((Math.atan(x) + 2) / eps)));
    if (Math.abs(x) <= k * eps / 2) {
      t = bins;
    }
    if (x >= d * eps && x <= (d + 1) * eps) {
      t = bins + 1;
    }
    if (x >= a * d * eps + b && x <= a * (d + 1) * eps + b) {
      t = bins + 2;
    }
    return t;
  }

  /** Decoded action of the state {@code x}. */
  public double quantizeState(double x) {
    return decode(new int[] {encodeState(x)})[0];
  }

  @Override
  public int[] encode(double[] action) {
    if (action.length != 1) {
      throw new IllegalArgumentException("action has length " + action.length + ", tokenizer expects 1");
    }
    if (!Double.isFinite(action[0])) {
      throw new IllegalArgumentException("action dimension 0 is " + action[0] + "; actions must be finite");
    }
    double u = Math.max(-Math.PI / 2 + 1e-12, Math.min(Math.PI / 2 - 1e-12, action[0]));
    return new int[] {encodeState(Math.tan(u))};
  }

  @Override
  public double[] decode(int[] tokens) {
    if (tokens.length != 1 || tokens[0] < 0 || tokens[0] >= bins + 3) {
      throw new IllegalArgumentException("expected one token in [0, " + (bins + 2) + "], got " + java.util.Arrays.toString(tokens));
    }
    int t = tokens[0];
    if (t == bins) {
      return new double[] {(d + 0.5) * eps / b};
    }
    if (t == bins + 1) {
      return new double[] {1.0};
    }
    if (t == bins + 2) {
      return new double[] {(d + 1) * (1 - a * a) * eps / b - a};
    }
    return new double[] {-2 + (t + 0.5) * eps};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Theorem6Quantizer q && a == q.a && b == q.b && k == q.k && d == q.d && eps == q.eps;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(a, b, k, d, eps);
  }

  @Override
  public String toString() {
    return "Theorem6Quantizer(A=" + a + ", B=" + b + ", k=" + k + ", d=" + d + ", eps=" + eps + ")";
  }
}
