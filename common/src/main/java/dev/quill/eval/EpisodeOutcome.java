package dev.quill.eval;

import java.io.Serializable;

/**
 * Result of one closed-loop episode.
 *
 * @param seed episode seed
 * @param totalReturn sum of rewards
 * @param success whether the task's success event happened
 * @param steps steps taken
 * @param event how the episode ended ({@code success}, {@code horizon}, a failure event, ...)
 */
public record EpisodeOutcome(long seed, double totalReturn, boolean success, int steps, String event) implements Serializable {}
