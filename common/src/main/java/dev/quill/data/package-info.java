/** Demonstration dataset vocabulary: column names, statistics, the episode split. */
package dev.quill.data;
