package dev.quill.spark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quill.spark.LocalSpark;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class JobTaskTimesIT {

  @Test
  void sumsSparksOwnTaskMetricsOverTheJobsThatStartedAfterRegistration() throws Exception {
    SparkSession spark = LocalSpark.start("local[2]", JobTaskTimesIT.class);
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      // A job before the listener: not counted.
      jsc.parallelize(List.of(1, 2, 3, 4), 2).count();
      JobTaskTimes times = new JobTaskTimes();
      jsc.sc().addSparkListener(times);
      for (int job = 0; job < 2; job++) {
        // Three tasks of at least 40 ms each, returning 100,000 floats (400 kB of result) each.
        List<float[]> results = jsc.parallelize(List.of(1, 2, 3), 3).map(i -> {
          Thread.sleep(40);
          return new float[100_000];
        }).collect();
        assertEquals(3, results.size());
      }
      jsc.sc().listenerBus().waitUntilEmpty(10_000);
      JobTaskTimes.Totals t = times.totals();
      assertEquals(2, t.jobs());
      assertEquals(6, t.tasks());
      assertTrue(t.runMs() >= 6 * 40, "six tasks slept 40 ms each: " + t);
      assertTrue(t.resultBytes() >= 6 * 4 * 100_000, "six results of 400 kB: " + t);
      for (long ms : new long[] {t.submitToLaunchMs(), t.deserializeMs(), t.resultSerializeMs(), t.gcMs(), t.finishToEndMs()}) {
        assertTrue(ms >= 0 && ms < t.runMs() * 20, "a plausible time: " + t);
      }
      Map<String, Double> perJob = t.perJob();
      assertEquals(t.runMs() / 2.0, perJob.get("run_ms"), 1e-9);
      assertEquals(t.resultBytes() / 2.0, perJob.get("result_bytes"), 1e-9);

      Map<String, Object> metrics = new LinkedHashMap<>();
      BenchTraining.putJobTimes("local[2]", t, metrics);
      assertEquals(perJob, metrics.get("spark_task_ms_per_round"));
      Map<String, Object> none = new LinkedHashMap<>();
      BenchTraining.putJobTimes("local[2]", new JobTaskTimes().totals(), none);
      assertTrue(none.isEmpty(), "no jobs, nothing recorded");
    } finally {
      LocalSpark.stop(spark);
    }
  }
}
