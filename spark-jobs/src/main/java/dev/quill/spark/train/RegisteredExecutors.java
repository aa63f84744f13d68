package dev.quill.spark.train;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * The cores of the executors registered with this JVM's Spark application, from Spark's listener events (a public
 * developer API), for {@code spark.workerLanes: auto} on masters whose executors' size the configuration does not
 * name: a standalone cluster without {@code spark.executor.cores} gives each executor all the cores of its worker.
 * {@code QuillSpark.configure} registers it through {@code spark.extraListeners}, so it sees every executor from the
 * application's start. One application per JVM (Spark allows one active context): a new listener starts empty.
 */
public final class RegisteredExecutors extends SparkListener {
  private static volatile Map<String, Integer> cores = new ConcurrentHashMap<>();

  /** Called by Spark for {@code spark.extraListeners}: the application starting now has no executors yet. */
  public RegisteredExecutors(SparkConf conf) {
    cores = new ConcurrentHashMap<>();
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded added) {
    cores.put(added.executorId(), added.executorInfo().totalCores());
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
    cores.remove(removed.executorId());
  }

  /** The application's executors are gone with it: a later context without this listener must not see them. */
  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd end) {
    cores = new ConcurrentHashMap<>();
  }

  /** The cores of the smallest registered executor, or empty when none has registered (or no listener runs). */
  public static Optional<Integer> smallest() {
    return cores.values().stream().min(Integer::compare);
  }
}
