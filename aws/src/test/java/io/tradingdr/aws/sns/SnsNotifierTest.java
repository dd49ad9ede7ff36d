package io.tradingdr.aws.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;

class SnsNotifierTest {

  static final RegionId EAST = RegionId.of("us-east-1");
  static final RegionId WEST = RegionId.of("us-east-2");

  private AwsStub east;
  private AwsStub west;
  private SnsNotifier notifier;

  @BeforeEach
  void setUp() throws Exception {
    east = AwsStub.start();
    west = AwsStub.start();
    Map<RegionId, SnsNotifier.Topic> topics = new LinkedHashMap<>();
    topics.put(
        EAST,
        new SnsNotifier.Topic(
            "arn:aws:sns:us-east-1:123456789012:trading-dr",
            east.settings("us-east-1").build(SnsClient.builder())));
    topics.put(
        WEST,
        new SnsNotifier.Topic(
            "arn:aws:sns:us-east-2:123456789012:trading-dr",
            west.settings("us-east-2").build(SnsClient.builder())));
    notifier = new SnsNotifier(topics);
  }

  @AfterEach
  void tearDown() {
    east.close();
    west.close();
  }

  private static Notification failover() {
    return new Notification(
        Instant.parse("2026-01-05T10:00:00Z"),
        Notification.Severity.CRITICAL,
        "Failover us-east-1 -> us-east-2\ncompleted",
        "promoted us-east-2; lag 200 ms",
        Map.of("runId", "run-7", "kind", "failover"));
  }

  @Test
  void notify_publishesToBothRegions_withSubjectAndAttributes() {
    east.on("Publish", Response.xml(published()));
    west.on("Publish", Response.xml(published()));

    notifier.notify(failover());

    for (AwsStub stub : new AwsStub[] {east, west}) {
      AwsStub.Request publish = stub.requests("Publish").get(0);
      assertThat(publish.param("Subject")).isEqualTo("Failover us-east-1 -> us-east-2 completed");
      assertThat(publish.param("Message")).isEqualTo("promoted us-east-2; lag 200 ms");
      assertThat(AwsStub.paramsStartingWith(publish, "MessageAttributes"))
          .contains(
              "MessageAttributes.entry.1.Name=severity",
              "MessageAttributes.entry.1.Value.StringValue=CRITICAL");
      assertThat(publish.body()).contains("run-7");
    }
    assertThat(west.requests("Publish").get(0).param("TopicArn"))
        .isEqualTo("arn:aws:sns:us-east-2:123456789012:trading-dr");
  }

  @Test
  void notify_succeeds_whenOnlyOneRegionTakesIt() {
    east.on("Publish", Response.xmlError(503, "ServiceUnavailable", "down"));
    west.on("Publish", Response.xml(published()));

    notifier.notify(failover());

    assertThat(west.requests("Publish")).hasSize(1);
  }

  @Test
  void notify_isUnreachable_whenNoRegionTakesIt_namingEachFailure() {
    east.on("Publish", Response.xmlError(503, "ServiceUnavailable", "down"));
    west.on("Publish", Response.xmlError(403, "AuthorizationError", "not allowed"));

    assertThatThrownBy(() -> notifier.notify(failover()))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("us-east-1: sns:Publish ServiceUnavailable")
        .hasMessageContaining("us-east-2: sns:Publish AuthorizationError: not allowed");
  }

  static String published() {
    return "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId>"
        + "</PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>";
  }
}
