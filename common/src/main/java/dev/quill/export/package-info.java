/**
 * {@code quill export}: a policy directory becomes a compact, versioned artifact for Quill's dependency-free
 * runtime ({@code dev.quill.runtime}) and an ONNX model.
 */
package dev.quill.export;
