/**
 * Distributed k-means for action codebooks: Spark MLlib's k-means|| initialization (Bahmani et al. 2012)
 * followed by Lloyd iterations (Lloyd 1982) over cached, executor-owned partitions of points packed as flat
 * {@code double} arrays, with per-partition centroid sums combined by {@code treeReduce}.
 */
package dev.quill.spark.kmeans;
