package dev.quill.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs one task per lane, lane 0 on the calling thread and lanes {@code 1 .. size - 1} on helper
 * threads that this pool keeps (daemon threads, ended after a minute without work), and returns when
 * all lanes are done. Used by {@link FusedPolicyStep} for data-parallel minibatch halves and by
 * {@link FlatAdam} for its parameter ranges. One caller at a time.
 */
final class LanePool {
  private final int size;
  private final ThreadPoolExecutor helpers;

  /**
   * A pool of {@code size} lanes.
   *
   * @throws IllegalArgumentException if {@code size < 1}
   */
  LanePool(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("lanes must be >= 1, got " + size);
    }
    this.size = size;
    if (size == 1) {
      helpers = null;
    } else {
      helpers = new ThreadPoolExecutor(size - 1, size - 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "quill-step-lane");
        t.setDaemon(true);
        return t;
      });
      helpers.allowCoreThreadTimeOut(true);
    }
  }

  /** Number of lanes. */
  int size() {
    return size;
  }

  /**
   * Runs {@code task.accept(k)} for lanes {@code k = 0 .. lanes - 1} ({@code lanes <= size}) and waits
   * for all of them; the first failure is rethrown after every lane has finished.
   */
  void run(int lanes, IntConsumer task) {
    if (lanes < 1 || lanes > size) {
      throw new IllegalArgumentException("lanes must be in [1, " + size + "], got " + lanes);
    }
    List<Future<?>> pending = new ArrayList<>(lanes - 1);
    for (int k = 1; k < lanes; k++) {
      int lane = k;
      pending.add(helpers.submit(() -> task.accept(lane)));
    }
    RuntimeException failure = null;
    try {
      task.accept(0);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : pending) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a step lane", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
