package io.tradingdr.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradingdr.aws.lambda.OrchestratorHandler.Outcome;
import io.tradingdr.aws.lambda.OrchestratorHandler.RunNotFinishedException;
import io.tradingdr.aws.lambda.OrchestratorHandler.Settings;
import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.RunMetrics;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.testing.FakeRegions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrchestratorHandlerTest {

  private static final String ALARM = "trading-region-a-down";
  private static final int FULL_INVOCATION_MS = 300_000;

  private FakeRegions regions;
  private final List<RunMetrics.Measurement> measurements = new ArrayList<>();

  @BeforeEach
  void setUp() {
    regions = new FakeRegions();
    // As Aurora reports it from the standby region's metric while the primary is down.
    regions.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(800)));
  }

  /** The handler of the standby region (region-b), which fails over from region-a toward itself. */
  private OrchestratorHandler handlerIn(RegionId local) {
    return new OrchestratorHandler(
        regions.ports(),
        regions.config,
        regions.clock,
        regions.clock,
        new Settings(local, Set.of(), Duration.ofSeconds(30), "tdr-orchestrator"),
        measurements::add);
  }

  private static String alarmMessage(String name, String state) {
    return "{\"AlarmName\":\""
        + name
        + "\",\"AlarmDescription\":\"region-a is down\",\"AWSAccountId\":\"123456789012\","
        + "\"NewStateValue\":\""
        + state
        + "\",\"NewStateReason\":\"Composite alarm rule evaluated\","
        + "\"StateChangeTime\":\"2026-01-05T09:00:00.000+0000\",\"Region\":\"US East (Ohio)\","
        + "\"AlarmArn\":\"arn:aws:cloudwatch:us-east-2:123456789012:alarm:"
        + name
        + "\",\"OldStateValue\":\"OK\"}";
  }

  private static SNSEvent snsEvent(String message) {
    SNSEvent event = new SNSEvent();
    event.setRecords(
        List.of(
            new SNSEvent.SNSRecord()
                .withEventSource("aws:sns")
                .withEventVersion("1.0")
                .withSns(
                    new SNSEvent.SNS()
                        .withType("Notification")
                        .withMessageId("m-1")
                        .withMessage(message))));
    return event;
  }

  private static ScheduledEvent eventBridgeEvent(String detailType, String state) {
    return new ScheduledEvent()
        .withSource("aws.cloudwatch")
        .withDetailType(detailType)
        .withRegion("us-east-2")
        .withDetail(
            Map.of(
                "alarmName",
                ALARM,
                "state",
                Map.of("value", state, "reason", "threshold crossed"),
                "previousState",
                Map.of("value", "OK")));
  }

  private List<JournalEntry> journalOfKind(String kind) {
    return regions.control.allEntries().stream()
        .filter(e -> kind.equals(e.attributes().get("kind")))
        .toList();
  }

  @Test
  void alarmThroughSns_failsOverFromTheOtherRegionTowardItsOwn() {
    regions.regionDown(FakeRegions.A);

    List<Outcome> outcomes =
        handlerIn(FakeRegions.B)
            .onSns(
                snsEvent(alarmMessage(ALARM, "ALARM")),
                new TestContext("req-1", FULL_INVOCATION_MS));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.outcome()).isEqualTo("COMPLETED");
              assertThat(o.from()).isEqualTo("region-a");
              assertThat(o.to()).isEqualTo("region-b");
              assertThat(o.alarm()).isEqualTo(ALARM);
              assertThat(o.reason()).contains("failover region-a -> region-b completed");
              assertThat(o.decisions())
                  .anySatisfy(d -> assertThat(d).startsWith("PROCEED guards: all passed"));
            });
    assertThat(regions.replication.writer()).contains(FakeRegions.B);
    assertThat(regions.control.read().isHeldBy(FakeRegions.B)).isTrue();
    // The alarm changed at 09:00:00; detection confirmed it 20 s later (3 rounds, 10 s apart).
    assertThat(measurements)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.succeeded()).isTrue();
              assertThat(m.to()).isEqualTo(FakeRegions.B);
              assertThat(m.detectionTime()).contains(Duration.ofSeconds(20));
              assertThat(m.promotionTime()).isPresent();
              assertThat(m.replicationLag()).contains(Duration.ofMillis(800));
            });
    assertThat(regions.control.allEntries())
        .anySatisfy(e -> assertThat(e.attributes()).containsEntry("requestedBy", "alarm:" + ALARM))
        .anySatisfy(
            e ->
                assertThat(e.attributes().get("guard.detection"))
                    .contains("all observers agree region-a is down"));
  }

  @Test
  void alarmThroughEventBridge_failsOverToo() {
    regions.regionDown(FakeRegions.A);

    Outcome outcome =
        handlerIn(FakeRegions.B)
            .onEventBridge(
                eventBridgeEvent("CloudWatch Alarm State Change", "ALARM"),
                new TestContext("req-1", FULL_INVOCATION_MS));

    assertThat(outcome.outcome()).isEqualTo("COMPLETED");
    assertThat(regions.replication.writer()).contains(FakeRegions.B);
  }

  @Test
  void alarmOk_isAJournaledNoOp() {
    Outcome outcome =
        handlerIn(FakeRegions.B)
            .onEventBridge(
                eventBridgeEvent("CloudWatch Alarm State Change", "OK"),
                new TestContext("req-1", FULL_INVOCATION_MS));

    assertThat(outcome.outcome()).isEqualTo("IGNORED");
    assertThat(outcome.reason()).startsWith("alarm: " + ALARM + " is OK").contains("no action");
    assertThat(regions.replication.promotions()).isZero();
    assertThat(journalOfKind("ALARM"))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo(outcome.reason()));
  }

  @Test
  void insufficientData_isANoOpToo() {
    List<Outcome> outcomes =
        handlerIn(FakeRegions.B)
            .onSns(
                snsEvent(alarmMessage(ALARM, "INSUFFICIENT_DATA")),
                new TestContext("req-1", FULL_INVOCATION_MS));

    assertThat(outcomes).extracting(Outcome::outcome).containsExactly("IGNORED");
    assertThat(regions.replication.promotions()).isZero();
  }

  @Test
  void alarmInTheWriterRegion_isRefusedByTheDirectionGuard_neverFailingAwayFromItself() {
    regions.regionDown(FakeRegions.B);

    List<Outcome> outcomes =
        handlerIn(FakeRegions.A)
            .onSns(
                snsEvent(alarmMessage(ALARM, "ALARM")),
                new TestContext("req-1", FULL_INVOCATION_MS));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.outcome()).isEqualTo("REFUSED");
              assertThat(o.reason())
                  .startsWith("direction: region-a is the writer")
                  .contains("fails over only from region-b to region-a");
            });
    assertThat(regions.replication.promotions()).isZero();
    assertThat(regions.control.read().isHeldBy(FakeRegions.A)).isTrue();
    assertThat(journalOfKind("ALARM"))
        .singleElement()
        .satisfies(e -> assertThat(e.phase()).isEqualTo(JournalEntry.Phase.REFUSED));
    assertThat(regions.notifier.sent())
        .singleElement()
        .satisfies(n -> assertThat(n.severity()).isEqualTo(Notification.Severity.WARNING));
  }

  @Test
  void pausedAutomaticFailover_isRefusedWithItsGuardName_journaledAndNotified() {
    regions.regionDown(FakeRegions.A);
    regions.control.pauseAutomaticFailover("ops during maintenance");

    List<Outcome> outcomes =
        handlerIn(FakeRegions.B)
            .onSns(
                snsEvent(alarmMessage(ALARM, "ALARM")),
                new TestContext("req-1", FULL_INVOCATION_MS));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.outcome()).isEqualTo("REFUSED");
              assertThat(o.reason())
                  .isEqualTo("automaticFailover: paused by ops during maintenance");
            });
    assertThat(regions.replication.promotions()).isZero();
    assertThat(measurements).isEmpty();
    assertThat(regions.control.allEntries())
        .anySatisfy(
            e -> {
              assertThat(e.phase()).isEqualTo(JournalEntry.Phase.REFUSED);
              assertThat(e.reason()).startsWith("automaticFailover:");
            });
    assertThat(regions.notifier.sent())
        .anySatisfy(n -> assertThat(n.body()).contains("automaticFailover: paused by"));
  }

  @Test
  void observersThatDisagree_refuseByTheDetectionGuard() {
    regions.entryPoint.healthy(FakeRegions.A, false);

    List<Outcome> outcomes =
        handlerIn(FakeRegions.B)
            .onSns(
                snsEvent(alarmMessage(ALARM, "ALARM")),
                new TestContext("req-1", FULL_INVOCATION_MS));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.outcome()).isEqualTo("REFUSED");
              assertThat(o.reason()).startsWith("detection: observers disagree about region-a");
            });
    assertThat(regions.replication.promotions()).isZero();
  }

  @Test
  void malformedEvents_areRejectedWithTheirReason_withoutThrowing() {
    OrchestratorHandler handler = handlerIn(FakeRegions.B);
    TestContext context = new TestContext("req-1", FULL_INVOCATION_MS);

    assertThat(handler.onSns(snsEvent("this is not json"), context))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.outcome()).isEqualTo("REJECTED");
              assertThat(o.reason())
                  .startsWith(
                      "event: rejected, the SNS message is not a CloudWatch alarm notification");
            });
    assertThat(handler.onSns(snsEvent("{\"AlarmName\":\"x\",\"NewStateValue\":\"RED\"}"), context))
        .singleElement()
        .satisfies(
            o -> assertThat(o.reason()).contains("'RED'; allowed: OK, ALARM, INSUFFICIENT_DATA"));
    assertThat(handler.onSns(new SNSEvent(), context))
        .singleElement()
        .satisfies(o -> assertThat(o.reason()).contains("the SNS event has no records"));
    assertThat(
            handler
                .onEventBridge(
                    eventBridgeEvent("EC2 Instance State-change Notification", "ALARM"), context)
                .reason())
        .contains("is not an alarm state change");
    assertThat(regions.replication.promotions()).isZero();
    assertThat(regions.control.allEntries()).isEmpty();
  }

  @Test
  void streamEntry_acceptsTheRawSnsShape_andRejectsAnythingElse() throws Exception {
    regions.regionDown(FakeRegions.A);
    ObjectMapper json = new ObjectMapper();
    String sns =
        json.writeValueAsString(
            Map.of(
                "Records",
                List.of(
                    Map.of(
                        "EventSource",
                        "aws:sns",
                        "Sns",
                        Map.of("Type", "Notification", "Message", alarmMessage(ALARM, "ALARM"))))));
    OrchestratorHandler handler = handlerIn(FakeRegions.B);

    JsonNode done = invokeStream(handler, sns);
    JsonNode rejected = invokeStream(handler, "{\"hello\":\"world\"}");
    JsonNode notJson = invokeStream(handler, "<xml/>");

    assertThat(done.get(0).get("outcome").asText()).isEqualTo("COMPLETED");
    assertThat(rejected.get(0).get("outcome").asText()).isEqualTo("REJECTED");
    assertThat(rejected.get(0).get("reason").asText())
        .contains("unrecognised event with keys [hello]");
    assertThat(notJson.get(0).get("reason").asText()).contains("the event is not JSON");
  }

  @Test
  void alarmNotInTheTriggerList_isRejected() {
    regions.regionDown(FakeRegions.A);
    OrchestratorHandler handler =
        new OrchestratorHandler(
            regions.ports(),
            regions.config,
            regions.clock,
            regions.clock,
            new Settings(FakeRegions.B, Set.of(ALARM), Duration.ofSeconds(30), "tdr-orchestrator"),
            measurements::add);

    List<Outcome> outcomes =
        handler.onSns(
            snsEvent(alarmMessage("some-other-alarm", "ALARM")),
            new TestContext("req-1", FULL_INVOCATION_MS));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.outcome()).isEqualTo("REJECTED");
              assertThat(o.reason())
                  .contains("alarm some-other-alarm is not one this orchestrator acts on");
            });
    assertThat(regions.replication.promotions()).isZero();
  }

  @Test
  void runThatCannotFinishInTime_stopsAtAJournaledStep_andTheNextInvocationResumesIt() {
    regions.regionDown(FakeRegions.A);
    OrchestratorHandler handler = handlerIn(FakeRegions.B);
    SNSEvent alarm = snsEvent(alarmMessage(ALARM, "ALARM"));

    // 60 s: detection takes 20 s, the lease expiry wait 12 s, leaving less than the 30 s reserve.
    assertThatThrownBy(() -> handler.onSns(alarm, new TestContext("req-1", 60_000)))
        .isInstanceOf(RunNotFinishedException.class)
        .hasMessageContaining("lambdaDeadline")
        .hasMessageContaining("resumes it from the journal");
    assertThat(regions.replication.promotions()).isZero();
    assertThat(regions.control.allEntries())
        .anySatisfy(
            e -> {
              assertThat(e.step()).isEqualTo("run-lease");
              assertThat(e.reason())
                  .contains("lambdaDeadline")
                  .contains("resumable from the journal");
            });
    assertThat(regions.control.currentRunLease()).isEmpty();

    List<Outcome> retried =
        handler.onSns(alarm, new TestContext("req-1-retry", FULL_INVOCATION_MS));

    assertThat(retried)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.outcome()).isEqualTo("COMPLETED");
              assertThat(o.resumed()).isTrue();
              assertThat(o.to()).isEqualTo("region-b");
            });
    assertThat(regions.replication.promotions()).isEqualTo(1);
  }

  @Test
  void aStepReserveAsLongAsTheRunLease_isRefused() {
    assertThatThrownBy(
            () ->
                new OrchestratorHandler(
                    regions.ports(),
                    regions.config,
                    regions.clock,
                    regions.clock,
                    new Settings(FakeRegions.B, Set.of(), Duration.ofSeconds(60), "orch"),
                    measurements::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TDR_STEP_RESERVE_MS (1m) must be shorter than runLeaseTtl (1m)");
  }

  private static JsonNode invokeStream(OrchestratorHandler handler, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
        out,
        new TestContext("req-stream", FULL_INVOCATION_MS));
    return new ObjectMapper().readTree(out.toByteArray());
  }
}
