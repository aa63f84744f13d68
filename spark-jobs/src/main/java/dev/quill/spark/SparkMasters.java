package dev.quill.spark;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Spark master URL says about where executors run, read the way Spark reads it: {@code local},
 * {@code local[N]}, {@code local[*]} and {@code local[N, F]} run the executor inside the driver's JVM;
 * {@code local-cluster[W, C, M]} starts {@code W} executor JVMs of {@code C} cores and {@code M} MB on this machine;
 * every other master (standalone, YARN, Kubernetes) runs executors elsewhere.
 */
public final class SparkMasters {
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[\\s*(\\*|\\d+)\\s*(?:,\\s*\\d+\\s*)?\\])?");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");

  private SparkMasters() {}

  /**
   * A {@code local-cluster[workers, cores, megabytes]} master.
   *
   * @param workers executor JVMs
   * @param cores cores of each
   * @param megabytes memory of each worker, in MB
   */
  public record LocalCluster(int workers, int cores, int megabytes) {}

  /** Whether {@code master} runs its executor inside the driver's JVM ({@code local}, {@code local[...]}). */
  public static boolean isLocal(String master) {
    return LOCAL.matcher(master).matches();
  }

  /** The cores of a local master's one executor: {@code N}, the machine's processors for {@code *}, 1 for {@code local}. */
  public static Optional<Integer> localCores(String master) {
    Matcher local = LOCAL.matcher(master);
    if (!local.matches()) {
      return Optional.empty();
    }
    String n = local.group(1);
    return Optional.of(n == null ? 1 : "*".equals(n) ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n));
  }

  /** The {@code local-cluster[W, C, M]} master {@code master} is, or empty. */
  public static Optional<LocalCluster> localCluster(String master) {
    Matcher m = LOCAL_CLUSTER.matcher(master);
    return m.matches() ? Optional.of(new LocalCluster(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)))) : Optional.empty();
  }
}
