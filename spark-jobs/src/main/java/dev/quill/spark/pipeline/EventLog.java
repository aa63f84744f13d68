package dev.quill.spark.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON-lines events for orchestrators: one compact JSON object per line with {@code time} (ISO-8601
 * UTC), {@code event} and the event's fields. Events: {@code stage_started}, {@code stage_finished}
 * ({@code seconds}), {@code stage_skipped}, {@code epoch} ({@code epoch}, {@code epochs},
 * {@code trainLoss}, {@code heldoutLoss}, {@code examplesPerSecond}), {@code metrics}, {@code gate}.
 * Each line is flushed when written. Thread-safe.
 */
public final class EventLog implements AutoCloseable {
  private static final ObjectMapper COMPACT = new ObjectMapper();
  private final PrintStream out;
  private final boolean owned;
  private final Clock clock;

  private EventLog(PrintStream out, boolean owned, Clock clock) {
    this.out = out;
    this.owned = owned;
    this.clock = clock;
  }

  /** A log that drops every event. */
  public static EventLog none() {
    return new EventLog(null, false, Clock.systemUTC());
  }

  /** A log to {@code out} (not closed by {@link #close()}), with timestamps from {@code clock}. */
  public static EventLog to(PrintStream out, Clock clock) {
    return new EventLog(out, false, clock);
  }

  /** {@code target} {@code -}: standard output; otherwise a file, appended to (created with its folders). */
  public static EventLog open(String target) {
    if ("-".equals(target)) {
      return new EventLog(System.out, false, Clock.systemUTC());
    }
    try {
      Path file = Path.of(target).toAbsolutePath();
      Files.createDirectories(file.getParent());
      return new EventLog(new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8), true,
          Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open event log " + target + ": " + e.getMessage(), e);
    }
  }

  /** Whether events go to standard output. */
  public boolean isStdout() {
    return out == System.out;
  }

  /** Writes event {@code name} with {@code fields} given as alternating keys and values. */
  public synchronized void emit(String name, Object... fields) {
    if (out == null) {
      return;
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("time", clock.instant().toString());
    e.put("event", name);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      e.put(String.valueOf(fields[i]), fields[i + 1]);
    }
    try {
      out.println(COMPACT.writeValueAsString(e));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write event " + name, ex);
    }
    out.flush();
  }

  @Override
  public synchronized void close() {
    if (owned) {
      out.close();
    }
  }
}
