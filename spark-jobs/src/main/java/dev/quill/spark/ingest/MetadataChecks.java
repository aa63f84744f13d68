package dev.quill.spark.ingest;

import dev.quill.data.Columns;
import dev.quill.data.Finding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules that compare the data with the input's metadata: episodes listed in {@code meta/episodes.jsonl}
 * without frames or with another length, and data files without any row.
 */
final class MetadataChecks {
  private MetadataChecks() {}

  /**
   * Findings for {@code layout}; episodes whose length disagrees are added to {@code bad}.
   *
   * @param observed frames found per episode index
   * @param seenFiles URIs of the files that contributed at least one row
   */
  static List<Finding> check(InputLayout layout, Map<Long, Long> observed, Set<String> seenFiles, Set<Long> bad) {
    List<Finding> out = new ArrayList<>();
    String meta = layout.episodesFile();
    for (Map.Entry<Long, Long> e : layout.episodeLengths().entrySet()) {
      Long found = observed.get(e.getKey());
      if (found == null) {
        out.add(new Finding(meta, e.getKey(), Columns.EPISODE, -1, Rule.EMPTY_EPISODE.id(),
            meta + ": episode " + e.getKey() + " (length " + e.getValue() + ") " + Rule.EMPTY_EPISODE.description()
                + " in the data files (rule " + Rule.EMPTY_EPISODE.id() + ")"));
      } else if (!found.equals(e.getValue())) {
        bad.add(e.getKey());
        out.add(new Finding(meta, e.getKey(), Columns.FRAME, -1, Rule.LENGTH_MISMATCH.id(),
            meta + ": episode " + e.getKey() + " " + Rule.LENGTH_MISMATCH.description() + " (metadata " + e.getValue()
                + ", data " + found + ") (rule " + Rule.LENGTH_MISMATCH.id() + ")"));
      }
    }
    for (Path file : layout.dataFiles()) {
      String uri = file.toUri().toString();
      if (!seenFiles.contains(uri) && !seenFiles.contains(uri.replace("file:///", "file:/"))) {
        String name = layout.root().relativize(file).toString();
        out.add(new Finding(name, -1, "", -1, Rule.EMPTY_EPISODE.id(),
            name + ": the file has no rows, so its episode " + Rule.EMPTY_EPISODE.description()
                + " (rule " + Rule.EMPTY_EPISODE.id() + ")"));
      }
    }
    return out;
  }
}
