package dev.quill.data;

import java.util.List;

/**
 * Input demonstrations break a rule and the user asked to fail rather than quarantine (or the problem
 * cannot be quarantined, e.g. a missing column). Nothing has been written when this is thrown.
 */
public final class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Finding> findings;

  /** Creates the exception; the message lists up to ten findings. */
  public BadInputException(String summary, List<Finding> findings) {
    super(format(summary, findings));
    this.findings = List.copyOf(findings);
  }

  /** Every finding. */
  public List<Finding> findings() {
    return findings;
  }

  private static String format(String summary, List<Finding> findings) {
    StringBuilder sb = new StringBuilder(summary);
    int shown = Math.min(10, findings.size());
    for (int i = 0; i < shown; i++) {
      sb.append("\n  - ").append(findings.get(i).message());
    }
    if (findings.size() > shown) {
      sb.append("\n  ... and ").append(findings.size() - shown).append(" more");
    }
    return sb.toString();
  }
}
