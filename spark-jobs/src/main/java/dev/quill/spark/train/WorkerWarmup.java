package dev.quill.spark.train;

import dev.quill.train.KernelWarmup;
import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * What an executor prepares for a trainer's fused workers while it encodes their examples, on background threads:
 * the fused kernels' JIT warm-up ({@link KernelWarmup}) and the worker of the partition being encoded (its network
 * and fused step, which {@link FusedAveraging}'s first round would otherwise build: 130–210 ms on the bench model).
 * Jobs call {@link #start} at the top of the function that encodes a partition of the RDD that training then reads
 * partition for partition (README, Performance). Serializable: it travels inside that function.
 */
public final class WorkerWarmup implements Serializable {
  private static final long serialVersionUID = 1L;
  /** For trainers without fused workers: nothing to prepare. */
  static final WorkerWarmup NONE = new WorkerWarmup(null);

  private final FusedAveraging.WorkerSpec spec;

  WorkerWarmup(FusedAveraging.WorkerSpec spec) {
    this.spec = spec;
  }

  /** The trainer's workers, or {@code null} without fused workers. */
  FusedAveraging.WorkerSpec spec() {
    return spec;
  }

  /** Whether there is anything to prepare (the trainer has fused workers). */
  public boolean active() {
    return spec != null;
  }

  /**
   * Starts the warm-up and the build of this task's partition's worker, and returns at once. Does nothing outside a
   * Spark task or for a trainer without fused workers.
   */
  public void start() {
    TaskContext task = TaskContext.get();
    if (spec == null || task == null) {
      return;
    }
    KernelWarmup.startInBackground();
    FusedAveraging.prepareInBackground(spec, task.partitionId());
  }
}
