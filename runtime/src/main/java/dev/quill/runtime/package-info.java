/**
 * Quill's dependency-free inference runtime (JDK only): loads a policy artifact written by
 * {@code quill export} ({@link dev.quill.runtime.ArtifactFormat}) and computes {@code act(state) -> action}
 * with integer (int8, packed int4) or fp32 weights, without allocating per call after warm-up.
 *
 * <p>Thread-safety: {@link dev.quill.runtime.PolicyModel} and everything it holds are immutable and may be
 * shared by any number of threads; a {@link dev.quill.runtime.PolicyRunner} owns the mutable buffers of one
 * forward pass and must be used by one thread at a time (create one per control thread).
 */
package dev.quill.runtime;
