/**
 * Training examples and single-JVM training: encoding of demonstration steps, minibatch assembly, the
 * fused training step of the factorized policy ({@link dev.quill.train.FusedPolicyStep}) and the choice
 * of native threads.
 */
package dev.quill.train;
