package io.tradingdr.local.ops;

import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.Notifier;
import io.tradingdr.core.port.UnreachableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link Notifier} for the local regions: one JSON line per notification appended to a file (the
 * on-call "inbox" a drill report can read back), and one human-readable line on the terminal.
 * Succeeds when at least one of the two took the message.
 */
public final class FileNotifier implements Notifier {

  private final Path file;
  private final PrintWriter terminal;

  public FileNotifier(Path file, PrintWriter terminal) {
    this.file = Objects.requireNonNull(file, "file");
    this.terminal = Objects.requireNonNull(terminal, "terminal");
  }

  @Override
  public void notify(Notification notification) {
    boolean delivered = false;
    IOException fileError = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          toJson(notification) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      delivered = true;
    } catch (IOException e) {
      fileError = e;
    }
    terminal.printf(
        "[%s] %s: %s%n", notification.severity(), notification.at(), notification.subject());
    delivered |= !terminal.checkError();
    if (!delivered) {
      throw new UnreachableException(
          "notification '"
              + notification.subject()
              + "' reached neither "
              + file
              + " nor the terminal",
          fileError);
    }
  }

  static String toJson(Notification n) {
    StringBuilder json = new StringBuilder("{");
    field(json, "at", n.at().toString()).append(',');
    field(json, "severity", n.severity().name()).append(',');
    field(json, "subject", n.subject()).append(',');
    field(json, "body", n.body()).append(",\"attributes\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(n.attributes()).entrySet()) {
      if (!first) {
        json.append(',');
      }
      field(json, e.getKey(), e.getValue());
      first = false;
    }
    return json.append("}}").toString();
  }

  private static StringBuilder field(StringBuilder json, String name, String value) {
    return json.append(quote(name)).append(':').append(quote(value));
  }

  private static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
