package dev.quill.spark.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Spark's own account of the jobs a bench row runs, summed over jobs: how long each job waited from its submission to
 * its first task's launch (the DAG scheduler serializing and shipping the task binary, task scheduling), the tasks'
 * deserialization, run, result serialization and GC times ({@link TaskMetrics}), and how long the job took to end
 * after its last task. Registered on a Spark row's context just before its timed epochs, where every job is a
 * parameter-averaging round, it says where a round's Spark time goes (README, Performance, ninth round), as the
 * event log would, without one. Listener events arrive on Spark's listener bus: wait for it to drain
 * ({@code listenerBus().waitUntilEmpty()}) before reading {@link #totals}.
 */
final class JobTaskTimes extends SparkListener {
  /**
   * Sums over the jobs that ended.
   *
   * @param jobs jobs that ended
   * @param tasks their tasks that ended
   * @param submitToLaunchMs per job, its submission to its first task's launch
   * @param deserializeMs the tasks' deserialization (task and broadcasts)
   * @param runMs the tasks' run time after deserialization
   * @param resultSerializeMs the tasks' result serialization
   * @param gcMs the executors' JVM GC time while the tasks ran
   * @param finishToEndMs per job, its last task's end to the job's end
   * @param resultBytes the tasks' serialized results
   */
  record Totals(long jobs, long tasks, long submitToLaunchMs, long deserializeMs, long runMs, long resultSerializeMs,
      long gcMs, long finishToEndMs, long resultBytes) {

    /** Each field but {@code jobs} and {@code tasks} divided by the jobs, in ms (bytes for the results). */
    Map<String, Double> perJob() {
      Map<String, Double> m = new LinkedHashMap<>();
      double n = Math.max(1, jobs);
      m.put("submit_to_launch_ms", submitToLaunchMs / n);
      m.put("deserialize_ms", deserializeMs / n);
      m.put("run_ms", runMs / n);
      m.put("result_serialize_ms", resultSerializeMs / n);
      m.put("gc_ms", gcMs / n);
      m.put("finish_to_job_end_ms", finishToEndMs / n);
      m.put("result_bytes", resultBytes / n);
      return m;
    }
  }

  /** A job in flight: its submission time and its tasks' earliest launch and latest end. */
  private static final class Job {
    final long submitted;
    long firstLaunch = Long.MAX_VALUE;
    long lastFinish = Long.MIN_VALUE;

    Job(long submitted) {
      this.submitted = submitted;
    }
  }

  private final Map<Integer, Job> jobs = new HashMap<>();
  private final Map<Integer, Integer> stageJob = new HashMap<>();
  private long ended;
  private long tasks;
  private long submitToLaunch;
  private long deserialize;
  private long run;
  private long resultSerialize;
  private long gc;
  private long finishToEnd;
  private long resultBytes;

  @Override
  public synchronized void onJobStart(SparkListenerJobStart start) {
    jobs.put(start.jobId(), new Job(start.time()));
    for (Object stage : scala.collection.JavaConverters.seqAsJavaList(start.stageIds())) {
      stageJob.put((Integer) stage, start.jobId());
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    Integer jobId = stageJob.get(end.stageId());
    Job job = jobId == null ? null : jobs.get(jobId);
    if (job == null) {
      // A task of a job that started before this listener was registered.
      return;
    }
    tasks++;
    TaskInfo info = end.taskInfo();
    if (info != null) {
      job.firstLaunch = Math.min(job.firstLaunch, info.launchTime());
      job.lastFinish = Math.max(job.lastFinish, info.finishTime());
    }
    TaskMetrics m = end.taskMetrics();
    if (m != null) {
      deserialize += m.executorDeserializeTime();
      run += m.executorRunTime();
      resultSerialize += m.resultSerializationTime();
      gc += m.jvmGCTime();
      resultBytes += m.resultSize();
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd end) {
    Job job = jobs.remove(end.jobId());
    stageJob.values().removeIf(id -> id == end.jobId());
    if (job == null) {
      return;
    }
    ended++;
    if (job.firstLaunch != Long.MAX_VALUE) {
      submitToLaunch += Math.max(0, job.firstLaunch - job.submitted);
      finishToEnd += Math.max(0, end.time() - job.lastFinish);
    }
  }

  /** The sums over the jobs and tasks that ended so far. */
  synchronized Totals totals() {
    return new Totals(ended, tasks, submitToLaunch, deserialize, run, resultSerialize, gc, finishToEnd, resultBytes);
  }
}
