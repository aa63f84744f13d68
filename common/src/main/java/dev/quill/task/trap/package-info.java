/** The {@code scalar-trap} task: the Theorem-6 system of Cao &amp; Xie (2026) as a regular task. */
package dev.quill.task.trap;
