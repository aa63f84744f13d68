package dev.quill.hdf5;

import java.io.Serializable;

/**
 * What a driver distributes to read one episode: small, serializable, no data.
 *
 * @param file absolute path of the HDF5 file
 * @param label the file's name as reported (relative to the input)
 * @param layout the file's layout
 * @param group the episode's group ({@code episode_3}, {@code data/demo_7}); {@code ""} for D4RL
 * @param episode the episode index written to the canonical dataset
 * @param start first row in the flat D4RL datasets (0 otherwise)
 * @param length steps in the flat D4RL datasets (-1 otherwise: the group's own length)
 */
public record EpisodeRef(String file, String label, Hdf5Layout layout, String group, long episode, long start,
    long length) implements Serializable {}
