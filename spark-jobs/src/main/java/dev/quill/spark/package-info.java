/** Spark plumbing shared by the jobs: sessions, the run directory layout, dataset schemas. */
package dev.quill.spark;
