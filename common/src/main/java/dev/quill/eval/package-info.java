/** Closed-loop rollouts of experts and policies, and their summaries. */
package dev.quill.eval;
