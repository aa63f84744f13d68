package dev.quill.train;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs one task per lane, lane 0 on the calling thread and lanes {@code 1 .. size - 1} on helper
 * threads that this pool keeps (daemon threads, ended after a minute without work), and returns when
 * all lanes are done. Used by {@link FusedPolicyStep} for data-parallel minibatch halves and by
 * {@link FlatAdam} for its parameter ranges. One caller at a time.
 *
 * <p>A step hands work to the helpers twice (the lanes, then Adam's ranges), a few hundred times a
 * second. Waking a parked thread costs tens of microseconds or more on a virtual machine, so a helper
 * that finished its task spins for up to {@link #spinNanos} for the next one before it parks, and the
 * caller spins as long for the helpers to finish before it falls back to short sleeps. With the
 * system property {@code quill.lanes.spinMicros=0} both park at once (README, Performance, measures the
 * difference).
 */
final class LanePool {
  private static final int IDLE = 0;
  private static final int POSTED = 1;
  private static final int EXITED = 2;
  private static final long IDLE_EXIT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long CALLER_POLL_NANOS = 20_000;

  private final int size;
  private final Helper[] helpers;
  private final long spinNanos;

  /**
   * A pool of {@code size} lanes.
   *
   * @throws IllegalArgumentException if {@code size < 1}
   */
  LanePool(int size) {
    this(size, TimeUnit.MICROSECONDS.toNanos(Long.getLong("quill.lanes.spinMicros", 200)));
  }

  /** A pool of {@code size} lanes whose threads spin up to {@code spinNanos} before parking. */
  LanePool(int size, long spinNanos) {
    if (size < 1) {
      throw new IllegalArgumentException("lanes must be >= 1, got " + size);
    }
    if (spinNanos < 0) {
      throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
    }
    this.size = size;
    this.spinNanos = spinNanos;
    this.helpers = new Helper[size - 1];
    for (int k = 1; k < size; k++) {
      helpers[k - 1] = new Helper(k);
    }
  }

  /** Number of lanes. */
  int size() {
    return size;
  }

  /** Helper threads alive now (for tests). */
  int liveHelpers() {
    int live = 0;
    for (Helper h : helpers) {
      Thread t = h.thread;
      live += t != null && t.isAlive() && h.state.get() != EXITED ? 1 : 0;
    }
    return live;
  }

  /**
   * Runs {@code task.accept(k)} for lanes {@code k = 0 .. lanes - 1} ({@code lanes <= size}) and waits
   * for all of them; the first failure (lane 0's first) is rethrown after every lane has finished.
   */
  void run(int lanes, IntConsumer task) {
    if (lanes < 1 || lanes > size) {
      throw new IllegalArgumentException("lanes must be in [1, " + size + "], got " + lanes);
    }
    for (int k = 1; k < lanes; k++) {
      helpers[k - 1].post(task);
    }
    Throwable failure = null;
    try {
      task.accept(0);
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (int k = 1; k < lanes; k++) {
      Throwable helperFailure = helpers[k - 1].await();
      if (failure == null) {
        failure = helperFailure;
      }
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    } else if (failure instanceof Error e) {
      throw e;
    }
  }

  /** One helper lane: its thread, started on first use and again after it ended for idleness. */
  private final class Helper implements Runnable {
    private final int lane;
    private final AtomicInteger state = new AtomicInteger(EXITED);
    private volatile Thread thread;
    private volatile long done;
    private long posted;
    private IntConsumer task;
    private Throwable failure;

    Helper(int lane) {
      this.lane = lane;
    }

    /** Hands {@code work} to this lane (caller thread). */
    void post(IntConsumer work) {
      task = work;
      failure = null;
      posted++;
      // The task fields above are published by the volatile write of the state (or by Thread.start).
      if (!state.compareAndSet(IDLE, POSTED)) {
        state.set(POSTED);
        Thread t = new Thread(this, "quill-step-lane-" + lane);
        t.setDaemon(true);
        thread = t;
        t.start();
      } else {
        LockSupport.unpark(thread);
      }
    }

    /** Waits for the posted task (caller thread) and returns its failure, or {@code null}. */
    Throwable await() {
      long spinEnd = System.nanoTime() + spinNanos;
      while (done != posted) {
        if (System.nanoTime() < spinEnd) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(this, CALLER_POLL_NANOS);
        }
      }
      return failure;
    }

    @Override
    public void run() {
      long lastWork = System.nanoTime();
      while (true) {
        long spinEnd = System.nanoTime() + spinNanos;
        while (state.get() != POSTED) {
          long now = System.nanoTime();
          if (now < spinEnd) {
            Thread.onSpinWait();
          } else if (now - lastWork > IDLE_EXIT_NANOS && state.compareAndSet(IDLE, EXITED)) {
            return;
          } else {
            LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
          }
        }
        long generation = posted;
        try {
          task.accept(lane);
        } catch (RuntimeException | Error e) {
          failure = e;
        }
        task = null;
        lastWork = System.nanoTime();
        // IDLE before done: the caller may post the next task as soon as it sees done.
        state.set(IDLE);
        done = generation;
      }
    }
  }
}
