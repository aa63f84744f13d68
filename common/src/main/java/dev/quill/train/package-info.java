/**
 * Training examples and single-JVM training: encoding of demonstration steps, minibatch assembly, the
 * fused training step of the factorized policy ({@link dev.quill.train.FusedPolicyStep}, optionally
 * data-parallel over lanes of one JVM, with a Vector API softmax where the JVM has the incubator module)
 * and the choice of native threads.
 */
package dev.quill.train;
