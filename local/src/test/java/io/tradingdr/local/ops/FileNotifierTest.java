package io.tradingdr.local.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.UnreachableException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNotifierTest {

  @TempDir Path dir;

  private static Notification notification(String subject) {
    return new Notification(
        Instant.parse("2026-01-01T00:00:00Z"),
        Notification.Severity.CRITICAL,
        subject,
        "line one\nquote \" here",
        Map.of("runId", "r-1", "epoch", "7"));
  }

  @Test
  void notify_appendsOneJsonLinePerNotification_andPrintsTheSubject() throws Exception {
    Path inbox = dir.resolve("ops/notifications.jsonl");
    StringWriter terminal = new StringWriter();
    FileNotifier notifier = new FileNotifier(inbox, new PrintWriter(terminal, true));

    notifier.notify(notification("failover started"));
    notifier.notify(notification("failover done"));

    List<String> lines = Files.readAllLines(inbox);
    assertThat(lines).hasSize(2);
    assertThat(lines.getFirst())
        .isEqualTo(
            "{\"at\":\"2026-01-01T00:00:00Z\",\"severity\":\"CRITICAL\",\"subject\":\"failover"
                + " started\",\"body\":\"line one\\nquote \\\" here\",\"attributes\":{\"epoch\":\"7\","
                + "\"runId\":\"r-1\"}}");
    assertThat(terminal.toString()).contains("[CRITICAL]").contains("failover done");
  }

  @Test
  void notify_isUnreachable_whenNeitherTheFileNorTheTerminalTakesIt() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    PrintWriter broken =
        new PrintWriter(
            new java.io.Writer() {
              @Override
              public void write(char[] buffer, int offset, int length) throws java.io.IOException {
                throw new java.io.IOException("closed");
              }

              @Override
              public void flush() {}

              @Override
              public void close() {}
            },
            true);
    FileNotifier notifier = new FileNotifier(notADirectory.resolve("inbox.jsonl"), broken);

    assertThatThrownBy(() -> notifier.notify(notification("lost")))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("lost");
  }
}
