package io.tradingdr.core.port;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A message to the people on call.
 *
 * @param subject one line, at most 100 characters (SNS subject limit)
 * @param body the full text: what happened, the decision and its reason
 * @param attributes machine-readable fields (run id, kind, regions, epoch)
 */
public record Notification(
    Instant at, Severity severity, String subject, String body, Map<String, String> attributes) {

  public enum Severity {
    INFO,
    WARNING,
    CRITICAL
  }

  public Notification {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
    if (subject.length() > 100) {
      subject = subject.substring(0, 100);
    }
    attributes = Map.copyOf(attributes);
  }
}
