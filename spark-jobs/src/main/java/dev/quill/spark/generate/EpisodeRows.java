package dev.quill.spark.generate;

import dev.quill.task.StepResult;
import dev.quill.task.Task;
import dev.quill.task.TaskConfig;
import dev.quill.task.TaskEpisode;
import dev.quill.util.Seeds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Executor side of {@code generate}: rolls out the expert for each episode index of a partition. */
final class EpisodeRows implements FlatMapFunction<Iterator<Long>, Row> {
  private static final long serialVersionUID = 1L;
  private final TaskConfig taskConfig;
  private final long seed;
  private final int fps;

  EpisodeRows(TaskConfig taskConfig, long seed, int fps) {
    this.taskConfig = taskConfig;
    this.seed = seed;
    this.fps = fps;
  }

  @Override
  public Iterator<Row> call(Iterator<Long> episodeIndices) {
    Task task = taskConfig.create();
    List<Row> rows = new ArrayList<>();
    while (episodeIndices.hasNext()) {
      long index = episodeIndices.next();
      TaskEpisode ep = task.newEpisode(Seeds.derive(seed, Seeds.DEMO, index));
      long frame = 0;
      while (!ep.done()) {
        double[] state = ep.state();
        double[] action = ep.expertAction();
        StepResult r = ep.step(action);
        rows.add(RowFactory.create(index, frame, (float) frame / fps, toFloat(state), toFloat(action),
            (float) r.reward(), r.done(), r.success()));
        frame++;
      }
    }
    return rows.iterator();
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
