/** Simulated control tasks with scripted experts (demonstrations and closed-loop evaluation). */
package dev.quill.task;
