package io.tradingdr.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A CloudWatch alarm's state change as the orchestrator receives it, from either of its two
 * deliveries: the alarm's SNS notification (an {@link SNSEvent} whose message is the alarm JSON,
 * {@code AlarmName}, {@code NewStateValue}, ...) or the EventBridge event {@code "CloudWatch Alarm
 * State Change"} (source {@code aws.cloudwatch}, {@code detail.alarmName}, {@code
 * detail.state.value}, ...). Anything else is a {@link MalformedEventException} naming what is
 * wrong.
 *
 * @param delivery {@code sns} or {@code eventbridge}
 * @param state the new state
 * @param previousState the state before, empty text when the event does not say
 * @param reason CloudWatch's reason for the change, empty text when absent
 * @param changedAt when the state changed, as CloudWatch wrote it; empty text when absent
 */
record AlarmTrigger(
    String delivery,
    String alarmName,
    AlarmState state,
    String previousState,
    String reason,
    String changedAt) {

  static final String EVENTBRIDGE_DETAIL_TYPE = "CloudWatch Alarm State Change";
  static final String EVENTBRIDGE_SOURCE = "aws.cloudwatch";

  private static final ObjectMapper JSON = new ObjectMapper();

  AlarmTrigger {
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(alarmName, "alarmName");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(previousState, "previousState");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(changedAt, "changedAt");
  }

  /** CloudWatch's {@code 2026-01-05T09:00:00.000+0000} (or ISO-8601) form of {@link #changedAt}. */
  private static final DateTimeFormatter CLOUDWATCH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  /** When the state changed, when the event says so in a form CloudWatch uses. */
  Optional<Instant> changedAtInstant() {
    try {
      return Optional.of(OffsetDateTime.parse(changedAt, CLOUDWATCH_TIME).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(OffsetDateTime.parse(changedAt).toInstant());
      } catch (DateTimeParseException again) {
        return Optional.empty();
      }
    }
  }

  /** The CloudWatch alarm states. */
  enum AlarmState {
    OK,
    ALARM,
    INSUFFICIENT_DATA;

    static AlarmState parse(String where, String value) {
      for (AlarmState s : values()) {
        if (s.name().equals(value)) {
          return s;
        }
      }
      throw new MalformedEventException(
          where + " is '" + value + "'; allowed: OK, ALARM, INSUFFICIENT_DATA");
    }
  }

  /** The event is not an alarm state change the orchestrator understands. */
  static final class MalformedEventException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedEventException(String message) {
      super(message);
    }

    MalformedEventException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The alarm changes in an SNS delivery (one per record; SNS delivers one record). */
  static List<AlarmTrigger> fromSns(SNSEvent event) {
    if (event == null || event.getRecords() == null || event.getRecords().isEmpty()) {
      throw new MalformedEventException("the SNS event has no records");
    }
    List<AlarmTrigger> out = new ArrayList<>();
    int i = 0;
    for (SNSEvent.SNSRecord record : event.getRecords()) {
      String source = record.getEventSource();
      if (!"aws:sns".equals(source)) {
        throw new MalformedEventException(
            "record " + i + " has EventSource '" + source + "', expected 'aws:sns'");
      }
      if (record.getSNS() == null) {
        throw new MalformedEventException("record " + i + " has no Sns part");
      }
      out.add(fromSnsMessage(record.getSNS().getMessage()));
      i++;
    }
    return out;
  }

  /** The alarm change in an EventBridge event (its detail is the alarm state change). */
  static AlarmTrigger fromEventBridge(ScheduledEvent event) {
    if (event == null) {
      throw new MalformedEventException("the EventBridge event is empty");
    }
    requireAlarmEvent(event.getDetailType(), event.getSource());
    if (event.getDetail() == null) {
      throw new MalformedEventException("the EventBridge event has no detail");
    }
    return fromEventBridgeDetail(JSON.valueToTree(event.getDetail()));
  }

  /**
   * The alarm changes in a raw Lambda event, as the stream handler receives it: either shape.
   * Malformed JSON, an unknown shape or a missing field is a {@link MalformedEventException}.
   */
  static List<AlarmTrigger> fromJson(String raw) {
    JsonNode root;
    try {
      root = JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("the event is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedEventException("the event is not a JSON object");
    }
    if (root.has("Records")) {
      JsonNode records = root.get("Records");
      if (!records.isArray() || records.isEmpty()) {
        throw new MalformedEventException("the event's Records is not a non-empty array");
      }
      List<AlarmTrigger> out = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        JsonNode record = records.get(i);
        String source = text(record, "EventSource");
        if (!"aws:sns".equals(source)) {
          throw new MalformedEventException(
              "record " + i + " has EventSource '" + source + "', expected 'aws:sns'");
        }
        JsonNode message = record.path("Sns").path("Message");
        if (!message.isTextual()) {
          throw new MalformedEventException("record " + i + " has no Sns.Message text");
        }
        out.add(fromSnsMessage(message.asText()));
      }
      return out;
    }
    if (root.has("detail-type")) {
      requireAlarmEvent(text(root, "detail-type"), text(root, "source"));
      return List.of(fromEventBridgeDetail(root.path("detail")));
    }
    List<String> keys = new ArrayList<>();
    Iterator<String> names = root.fieldNames();
    names.forEachRemaining(keys::add);
    throw new MalformedEventException(
        "unrecognised event with keys "
            + keys
            + ": expected an SNS notification of a CloudWatch alarm (Records[].Sns.Message) or an"
            + " EventBridge '"
            + EVENTBRIDGE_DETAIL_TYPE
            + "' event");
  }

  private static void requireAlarmEvent(String detailType, String source) {
    if (!EVENTBRIDGE_DETAIL_TYPE.equals(detailType) || !EVENTBRIDGE_SOURCE.equals(source)) {
      throw new MalformedEventException(
          "EventBridge event '"
              + detailType
              + "' from '"
              + source
              + "' is not an alarm state change; expected detail-type '"
              + EVENTBRIDGE_DETAIL_TYPE
              + "' from '"
              + EVENTBRIDGE_SOURCE
              + "'");
    }
  }

  /** The CloudWatch alarm notification that SNS carries as its message. */
  static AlarmTrigger fromSnsMessage(String message) {
    if (message == null || message.isBlank()) {
      throw new MalformedEventException("the SNS message is empty");
    }
    JsonNode alarm;
    try {
      alarm = JSON.readTree(message);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(
          "the SNS message is not a CloudWatch alarm notification (not JSON: "
              + e.getOriginalMessage()
              + ")",
          e);
    }
    if (alarm == null || !alarm.isObject()) {
      throw new MalformedEventException(
          "the SNS message is not a CloudWatch alarm notification (not a JSON object)");
    }
    String name = required(alarm, "AlarmName", "the SNS alarm notification");
    String state = required(alarm, "NewStateValue", "the SNS alarm notification");
    return new AlarmTrigger(
        "sns",
        name,
        AlarmState.parse("NewStateValue of alarm " + name, state),
        text(alarm, "OldStateValue"),
        text(alarm, "NewStateReason"),
        text(alarm, "StateChangeTime"));
  }

  private static AlarmTrigger fromEventBridgeDetail(JsonNode detail) {
    if (!detail.isObject()) {
      throw new MalformedEventException("the EventBridge event has no detail object");
    }
    String name = required(detail, "alarmName", "the EventBridge detail");
    String state = required(detail.path("state"), "value", "the EventBridge detail.state");
    return new AlarmTrigger(
        "eventbridge",
        name,
        AlarmState.parse("detail.state.value of alarm " + name, state),
        text(detail.path("previousState"), "value"),
        text(detail.path("state"), "reason"),
        text(detail.path("state"), "timestamp"));
  }

  private static String required(JsonNode node, String field, String where) {
    String value = text(node, field);
    if (value.isBlank()) {
      throw new MalformedEventException(where + " has no " + field);
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() ? value.asText() : "";
  }
}
