/**
 * Image observations: small top-down rasters rendered from a task's simulator state each step, flattened
 * channel-major ({@code [channel][row][col]}) into the state vector, so that they are generated, ingested,
 * normalized and trained on like any state.
 */
package dev.quill.task.image;
