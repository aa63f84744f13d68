package dev.quill.promote;

import dev.quill.eval.EvalSummary;

/**
 * One decision of the promotion gate ({@code models/promotion.json}).
 *
 * @param promoted whether the candidate replaced {@code models/current}
 * @param reason why, in words
 * @param metric the compared metric ({@code successRate} or {@code meanReturn})
 * @param tolerance the configured tolerance
 * @param candidateValue the candidate policy's metric
 * @param currentValue the current model's metric, or {@code null} when there was no current model
 * @param candidate the candidate's evaluation
 * @param current the current model's evaluation, or {@code null}
 * @param candidatePolicySha256 SHA-256 of the candidate policy directory
 */
public record GateDecision(boolean promoted, String reason, String metric, double tolerance, double candidateValue,
    Double currentValue, EvalSummary candidate, EvalSummary current, String candidatePolicySha256) {}
