package dev.quill.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventLogTest {
  @Test
  void emit_fieldsInOrder_oneCompactJsonLine() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    try (EventLog log = EventLog.to(new PrintStream(buf, true, StandardCharsets.UTF_8), clock)) {
      log.emit("stage_finished", "stage", "train", "seconds", 1.5);
      log.emit("epoch", "epoch", 2, "heldoutLoss", Double.NaN);
    }
    assertEquals("{\"time\":\"2026-01-02T03:04:05Z\",\"event\":\"stage_finished\",\"stage\":\"train\",\"seconds\":1.5}\n"
        + "{\"time\":\"2026-01-02T03:04:05Z\",\"event\":\"epoch\",\"epoch\":2,\"heldoutLoss\":\"NaN\"}\n",
        buf.toString(StandardCharsets.UTF_8));
  }
}
