/**
 * Demonstrations in the HDF5 layouts of the field (D4RL, Minari, robomimic), read with jHDF, a pure-Java
 * HDF5 reader (chunked and gzip-compressed datasets included), so it runs unchanged inside Spark executors.
 * {@link dev.quill.hdf5.Hdf5Listing} lists the episodes of a file cheaply (what a driver distributes);
 * {@link dev.quill.hdf5.Hdf5EpisodeReader} reads one episode and checks the format's own rules. No Spark here.
 */
package dev.quill.hdf5;
