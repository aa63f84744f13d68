package dev.quill.theory;

/**
 * The Theorem-6 instance of Cao &amp; Xie (2026): scalar dynamics {@code x' = A x + B u} with
 * {@code A = 0.2}, {@code B = 0.3} (closed-loop factor {@code A + B = 0.5 < 1}), expert
 * {@code pi*(x) = arctan x}, reward {@code 1 - |u - arctan x|}, and a "learned" quantizer whose decoded
 * action at state {@code x} is (papers.md B7; constants {@code k = 2}, {@code d = 1.2}, which satisfy
 * {@code d > k/2 > B/(1 - A - B)} and {@code A k < 1}, unlike the paper's printed example):
 * <ul>
 *   <li>{@code (d + 1/2) eps / B} on {@code I_P = [-k eps/2, k eps/2]};
 *   <li>{@code 1} on {@code I_T1 = [d eps, (d + 1) eps]};
 *   <li>{@code (d + 1)(1 - A^2) eps / B - A} on {@code I_T2 = [A d eps + B, A (d + 1) eps + B]};
 *   <li>{@code arctan x - eps/2} elsewhere.
 * </ul>
 * Under the expert the state contracts into {@code I_P}, where the error is {@code O(eps)}; under the
 * quantized policy it is trapped in a 2-cycle between {@code I_T1} and {@code I_T2} with {@code Omega(1)}
 * error at every step.
 *
 * <p>The same quantizer acts on actions ({@link #tokenOfAction}, {@link #decode}): since {@code arctan} is
 * a bijection, each state region is the preimage of an action interval ({@code arctan} of its ends), so
 * {@code decode(tokenOfAction(arctan x), arctan x) == learned(x)}. Applied to a stochastic expert's sampled
 * action it gives the push-forward {@code q#pi*} used by {@link StochasticTrapExperiment}. Immutable.
 */
public final class TrapQuantizer {
  /** State coefficient. */
  public static final double A = 0.2;
  /** Action coefficient. */
  public static final double B = 0.3;
  /** Width of the trap interval I_P in units of eps. */
  public static final double K = 2.0;
  /** Offset of I_T1 in units of eps. */
  public static final double D = 1.2;

  /** The token of an action: the default branch (a shift by {@code -eps/2}) or one of the three trap codes. */
  public enum Token {
    /** {@code arctan x - eps/2} branch: the token identifies the action, decoded as {@code a - eps/2}. */
    DEFAULT,
    /** The action interval of {@code I_P}. */
    P,
    /** The action interval of {@code I_T1}. */
    T1,
    /** The action interval of {@code I_T2}. */
    T2
  }

  private final double eps;
  private final double pLo;
  private final double pHi;
  private final double t1Lo;
  private final double t1Hi;
  private final double t2Lo;
  private final double t2Hi;

  /** The quantizer for resolution {@code eps}, in (0, 0.1]. */
  public TrapQuantizer(double eps) {
    if (!(eps > 0 && eps <= 0.1)) {
      throw new IllegalArgumentException("eps must be in (0, 0.1], got " + eps);
    }
    this.eps = eps;
    this.pLo = Math.atan(-K * eps / 2);
    this.pHi = Math.atan(K * eps / 2);
    this.t1Lo = Math.atan(D * eps);
    this.t1Hi = Math.atan((D + 1) * eps);
    this.t2Lo = Math.atan(A * D * eps + B);
    this.t2Hi = Math.atan(A * (D + 1) * eps + B);
  }

  /** The token of action {@code a}: the code whose action interval contains it, else {@link Token#DEFAULT}. */
  public Token tokenOfAction(double a) {
    if (a >= pLo && a <= pHi) {
      return Token.P;
    }
    if (a >= t1Lo && a <= t1Hi) {
      return Token.T1;
    }
    if (a >= t2Lo && a <= t2Hi) {
      return Token.T2;
    }
    return Token.DEFAULT;
  }

  /**
   * The decoded action of {@code token}; {@code a} is the action it was taken from, needed only for
   * {@link Token#DEFAULT}, whose decoded action is {@code a - eps/2}.
   */
  public double decode(Token token, double a) {
    return switch (token) {
      case P -> (D + 0.5) * eps / B;
      case T1 -> 1.0;
      case T2 -> (D + 1) * (1 - A * A) * eps / B - A;
      case DEFAULT -> a - eps / 2;
    };
  }

  /** The learned quantizer applied to action {@code a}: {@code decode(tokenOfAction(a), a)}. */
  public double quantizeAction(double a) {
    return decode(tokenOfAction(a), a);
  }

  /** Binning applied to action {@code a}: the centre of its bin of width {@code eps}. */
  public double binAction(double a) {
    return eps * (Math.floor(a / eps) + 0.5);
  }

  /** The expert's action. */
  public static double expert(double x) {
    return Math.atan(x);
  }

  /** One step of the dynamics. */
  public static double step(double x, double u) {
    return A * x + B * u;
  }

  /** The decoded action of the learned quantizer at state {@code x}. */
  public double learned(double x) {
    if (Math.abs(x) <= K * eps / 2) {
      return (D + 0.5) * eps / B;
    }
    if (x >= D * eps && x <= (D + 1) * eps) {
      return 1.0;
    }
    if (x >= A * D * eps + B && x <= A * (D + 1) * eps + B) {
      return (D + 1) * (1 - A * A) * eps / B - A;
    }
    return Math.atan(x) - eps / 2;
  }

  /** The binning control: the expert's action rounded to the centre of its bin of width {@code eps}. */
  public double binned(double x) {
    return eps * (Math.floor(Math.atan(x) / eps) + 0.5);
  }

  /** The resolution. */
  public double eps() {
    return eps;
  }
}
