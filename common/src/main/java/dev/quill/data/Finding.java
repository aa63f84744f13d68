package dev.quill.data;

import java.io.Serializable;

/**
 * One problem found in input demonstrations.
 *
 * @param file the input file (or files, comma-separated) the problem is in
 * @param episode the episode index, or -1 when the problem is not tied to one episode
 * @param column the column concerned, or {@code ""}
 * @param frame the first offending frame index, or -1
 * @param rule machine-readable rule name, e.g. {@code non_finite}, {@code wrong_length}, {@code frame_gap}
 * @param message a sentence naming file, episode, column and the rule broken
 */
public record Finding(String file, long episode, String column, long frame, String rule, String message)
    implements Serializable {}
