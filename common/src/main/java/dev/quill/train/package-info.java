/** Training examples: encoding of demonstration steps and minibatch assembly. */
package dev.quill.train;
