/** The {@code quill} command line (picocli): argument parsing only; the work is in the jobs. */
package dev.quill.cli;
