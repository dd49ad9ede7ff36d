package io.tradingdr.aws.sns;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.Notifier;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * {@link Notifier} on SNS: publishes the notification to the topic in every configured region (both
 * regions, so that the loss of one does not silence the other), one {@code Publish} each.
 *
 * <p>Message: subject (one line, ASCII, at most 100 characters as SNS requires), body, and message
 * attributes {@code severity} plus the notification's attributes (String type; names outside SNS's
 * allowed characters are rewritten with '_', empty values skipped).
 *
 * <p>Best effort and not idempotent: returns when at least one region took it; throws {@link
 * UnreachableException} naming each region's failure when none did.
 */
public final class SnsNotifier implements Notifier {

  /** The topic of one region and the client of that region. */
  public record Topic(String arn, SnsClient client) {
    public Topic {
      if (arn == null
          || !arn.matches("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}")) {
        throw new IllegalArgumentException(
            "SNS topic ARN '" + arn + "' is invalid: use arn:aws:sns:<region>:<account>:<name>");
      }
      Objects.requireNonNull(client, "client");
    }
  }

  private final Map<RegionId, Topic> topics;

  public SnsNotifier(Map<RegionId, Topic> topics) {
    if (topics == null || topics.isEmpty()) {
      throw new IllegalArgumentException("at least one region's SNS topic is needed");
    }
    this.topics = Map.copyOf(new LinkedHashMap<>(topics));
  }

  @Override
  public void notify(Notification notification) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    attributes.put("severity", string(notification.severity().name()));
    notification
        .attributes()
        .forEach(
            (k, v) -> {
              if (v != null && !v.isEmpty()) {
                attributes.put(attributeName(k), string(v));
              }
            });
    String subject =
        notification
            .subject()
            .replaceAll("[\\r\\n\\t]+", " ")
            .replaceAll("[^\\x20-\\x7E]", "?")
            .strip();
    List<String> failures = new ArrayList<>();
    int delivered = 0;
    for (var entry : topics.entrySet()) {
      try {
        entry
            .getValue()
            .client()
            .publish(
                r ->
                    r.topicArn(entry.getValue().arn())
                        .subject(subject.isEmpty() ? "trading-dr" : subject)
                        .message(notification.body().isEmpty() ? subject : notification.body())
                        .messageAttributes(attributes));
        delivered++;
      } catch (SdkException e) {
        failures.add(entry.getKey() + ": " + AwsErrors.translate("sns:Publish", e).getMessage());
      }
    }
    if (delivered == 0) {
      throw new UnreachableException(
          "no SNS topic took the notification: " + String.join("; ", failures));
    }
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static String attributeName(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (cleaned.startsWith("AWS.") || cleaned.startsWith("Amazon.")) {
      cleaned = "x-" + cleaned;
    }
    return cleaned.length() > 256 ? cleaned.substring(0, 256) : cleaned;
  }
}
