/**
 * The {@code linear} task: a stable four-dimensional discrete-time linear system with quadratic cost,
 * whose expert is the infinite-horizon LQR controller computed by {@link dev.quill.task.linear.Lqr}.
 */
package dev.quill.task.linear;
