package io.tradingdr.core.run;

import static io.tradingdr.core.testing.FakeRegions.A;
import static io.tradingdr.core.testing.FakeRegions.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.core.config.AutomaticFailover;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.decision.Verdict;
import io.tradingdr.core.detect.DetectionVerdict;
import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.JournalEntry.Phase;
import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.rpo.RpoLedger;
import io.tradingdr.core.testing.FakeRegions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunsTest {

  private final FakeRegions r = new FakeRegions();

  private List<JournalEntry> journal(RunResult result) {
    return r.control.entries(result.runId());
  }

  private DetectionVerdict downVerdict(io.tradingdr.core.region.RegionId region) {
    Orchestrator o = r.orchestrator("monitor");
    for (int i = 0; i < 3; i++) {
      r.clock.advance(Duration.ofSeconds(10));
      o.detector().record(r.entryPoint.probe(region));
      o.detector().record(r.standbySide.probe(region));
    }
    return o.detector().assess(region);
  }

  private RunResult operator(RunKind kind, boolean force) {
    return r.orchestrator("drctl:alice").run(RunRequest.operator(kind, force, "alice"));
  }

  // switchover --------------------------------------------------------------------------------

  @Test
  void switchover_movesTheWriterWithoutLoss_fencingBeforeCatchingUpBeforePromoting() {
    r.replication.commit(50);

    RunResult result = operator(RunKind.SWITCHOVER, false);

    assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(result.reason()).startsWith("switchover region-a -> region-b completed in ");
    assertThat(r.replication.writer()).contains(B);
    assertThat(r.replication.calls())
        .filteredOn(c -> !c.equals("status"))
        .containsExactly(
            "fenceWriter region-a", "awaitCaughtUp region-b", "promote region-b NO_DATA_LOSS");
    assertThat(r.replication.status().writerWatermark().orElseThrow().sequence()).isEqualTo(1050);
    assertThat(r.control.read().isHeldBy(B)).isTrue();
    assertThat(r.control.read().epoch().value()).isEqualTo(3);
    assertThat(r.router.changes()).containsExactly("region-b PLANNED");
    assertThat(r.capacity.calls()).containsExactly("region-b=2", "region-a=1");
    assertThat(r.notifier.sent())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.severity()).isEqualTo(Notification.Severity.INFO);
              assertThat(n.subject())
                  .isEqualTo("[trading-dr] switchover region-a -> region-b completed");
            });
  }

  @Test
  void switchover_journalsEveryStepBeforeAndAfter() {
    RunResult result = operator(RunKind.SWITCHOVER, false);

    List<JournalEntry> entries = journal(result);
    assertThat(entries.getFirst().step()).isEqualTo("run");
    assertThat(entries.getFirst().phase()).isEqualTo(Phase.STARTED);
    assertThat(entries.getLast().step()).isEqualTo("run");
    assertThat(entries.getLast().phase()).isEqualTo(Phase.COMPLETED);
    List<JournalEntry> steps = entries.subList(1, entries.size() - 1);
    assertThat(steps).hasSize(2 * RunKind.SWITCHOVER.steps().size());
    for (int i = 0; i < RunKind.SWITCHOVER.steps().size(); i++) {
      String name = RunKind.SWITCHOVER.steps().get(i).step();
      assertThat(steps.get(2 * i).step()).isEqualTo(name);
      assertThat(steps.get(2 * i).phase()).isEqualTo(Phase.STARTED);
      assertThat(steps.get(2 * i + 1).step()).isEqualTo(name);
      assertThat(steps.get(2 * i + 1).phase()).isEqualTo(Phase.COMPLETED);
    }
    assertThat(entries).extracting(JournalEntry::sequence).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void switchover_waitsForTheOldWriteLeaseToExpire_beforePromoting() {
    RunResult result = operator(RunKind.SWITCHOVER, false);

    JournalEntry revoked = find(result, "revoke-lease", Phase.COMPLETED);
    JournalEntry promoteStarted = find(result, "promote", Phase.STARTED);
    assertThat(promoteStarted.at())
        .isAfterOrEqualTo(
            java.time.Instant.parse(revoked.attributes().get(Facts.LEASE_EXPIRY_DEADLINE)));
  }

  @Test
  void switchover_refuses_whenTheWriterIsUnreachable() {
    r.regionDown(A);

    RunResult result = operator(RunKind.SWITCHOVER, false);

    assertThat(result.outcome()).isEqualTo(RunOutcome.REFUSED);
    assertThat(result.reason())
        .isEqualTo(
            "topology: region-a is not a reachable writer, so a planned switchover cannot fence"
                + " it; use failover");
  }

  @Test
  void switchover_refuses_whenStandbyLagExceedsCatchUpTimeout() {
    r.replication.lag(Duration.ofMinutes(5));

    RunResult result = operator(RunKind.SWITCHOVER, false);

    assertThat(result.reason()).startsWith("catchUpTimeout: standby lag 5m exceeds 2m");
    assertThat(r.replication.promotions()).isZero();
  }

  @Test
  void failedStep_endsTheRun_withTheStepNamedAndACriticalNotification() {
    r.replication.failNextPromote(new UnreachableException("promotion timed out after 4m"));

    RunResult result = operator(RunKind.SWITCHOVER, false);

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.reason()).isEqualTo("promote: unreachable: promotion timed out after 4m");
    assertThat(journal(result).getLast().phase()).isEqualTo(Phase.FAILED);
    assertThat(r.notifier.sent())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.severity()).isEqualTo(Notification.Severity.CRITICAL);
              assertThat(n.subject()).endsWith("failed");
            });
  }

  // failover ----------------------------------------------------------------------------------

  @Test
  void failover_promotesWithDataLossAllowed_andRecordsTheWatermarks() {
    Orchestrator orchestrator = r.orchestrator("drctl:alice");
    r.replication.commit(30);
    orchestrator.observeReplication();
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(800)));

    RunResult result = orchestrator.run(RunRequest.operator(RunKind.FAILOVER, false, "alice"));

    assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(r.replication.writer()).contains(B);
    assertThat(r.replication.calls()).contains("promote region-b ALLOW_DATA_LOSS");
    assertThat(r.router.changes()).containsExactly("region-b EMERGENCY");
    assertThat(r.capacity.calls()).containsExactly("region-b=2");
    assertThat(r.control.read().isHeldBy(B)).isTrue();
    assertThat(find(result, "fence-writer", Phase.COMPLETED).reason())
        .contains("relying on its write lease");
    JournalEntry watermark = find(result, "record-watermark", Phase.COMPLETED);
    assertThat(watermark.attributes())
        .containsEntry("rpo.standbyAtPromotion.sequence", "1000")
        .containsEntry("rpo.oldWriterLastKnown.sequence", "1030")
        .containsEntry("rpo.gap", "30");
    assertThat(r.notifier.sent().getFirst().severity()).isEqualTo(Notification.Severity.CRITICAL);
  }

  @Test
  void failover_refuses_whenLagAboveGuard_andChangesNothing() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(42_300)));

    RunResult result = operator(RunKind.FAILOVER, false);

    assertThat(result.outcome()).isEqualTo(RunOutcome.REFUSED);
    assertThat(result.reason())
        .isEqualTo(
            "maxLagOnFailover: standby lag 42.3s exceeds 10s (use --force to accept the loss)");
    assertThat(r.replication.promotions()).isZero();
    assertThat(r.control.read().isHeldBy(A)).isTrue();
    assertThat(r.router.changes()).isEmpty();
    assertThat(journal(result).getLast().reason()).startsWith("maxLagOnFailover:");
  }

  @Test
  void failover_proceeds_whenLagAboveGuardAndForced_journalingTheOverride() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(42)));

    RunResult result = operator(RunKind.FAILOVER, true);

    assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(find(result, "guards", Phase.COMPLETED).attributes())
        .containsEntry("forced", "true")
        .containsEntry(
            "guard.maxLagOnFailover",
            "PROCEED maxLagOnFailover: standby lag 42s exceeds 10s; overridden by --force");
  }

  @Test
  void failover_refuses_whenLagIsUnknown() {
    r.regionDown(A);

    RunResult result = operator(RunKind.FAILOVER, false);

    assertThat(result.reason()).startsWith("maxLagOnFailover: standby lag is unknown");
  }

  @Test
  void failover_proceeds_whenReplicationIsSynchronous_evenWithLagUnknown() {
    r.regionDown(A);
    r.replication.synchronous(true);

    assertThat(operator(RunKind.FAILOVER, false).outcome()).isEqualTo(RunOutcome.COMPLETED);
  }

  @Test
  void failover_refuses_whenTheStandbyIsAlreadyTheWriter() {
    r.regionDown(A);
    r.replication.synchronous(true);
    operator(RunKind.FAILOVER, false);

    RunResult second = operator(RunKind.FAILOVER, false);

    assertThat(second.outcome()).isEqualTo(RunOutcome.REFUSED);
    assertThat(second.reason()).startsWith("topology: region-a is not a reachable standby");
    assertThat(r.replication.promotions()).isEqualTo(1);
  }

  @Test
  void automaticFailover_refuses_whenPausedBySwitch() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(1)));
    DetectionVerdict verdict = downVerdict(A);
    r.orchestrator("drctl:alice").pauseAutomaticFailover("alice: market-open maintenance");

    RunResult result =
        r.orchestrator("lambda").run(RunRequest.automaticFailover(verdict, "alarm:primary-down"));

    assertThat(result.reason())
        .isEqualTo("automaticFailover: paused by alice: market-open maintenance");
    assertThat(r.replication.promotions()).isZero();
    assertThat(r.notifier.sent())
        .singleElement()
        .satisfies(n -> assertThat(n.body()).contains("automaticFailover: paused"));
  }

  @Test
  void automaticFailover_proceeds_afterResume() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(1)));
    DetectionVerdict verdict = downVerdict(A);
    Orchestrator o = r.orchestrator("drctl:alice");
    o.pauseAutomaticFailover("alice");
    o.resumeAutomaticFailover("alice");

    RunResult result =
        r.orchestrator("lambda").run(RunRequest.automaticFailover(verdict, "alarm:primary-down"));

    assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
  }

  @Test
  void automaticFailover_refuses_whenPausedByConfiguration() {
    r.config = OrchestratorConfig.builder().automaticFailover(AutomaticFailover.PAUSED).build();
    r.regionDown(A);
    DetectionVerdict verdict = downVerdict(A);

    RunResult result = r.orchestrator("lambda").run(RunRequest.automaticFailover(verdict, "alarm"));

    assertThat(result.reason())
        .isEqualTo("automaticFailover: paused by configuration (automaticFailover=PAUSED)");
  }

  @Test
  void automaticFailover_refuses_whenObserversDisagree() {
    r.entryPoint.healthy(A, false);
    DetectionVerdict verdict = downVerdict(A);

    RunResult result = r.orchestrator("lambda").run(RunRequest.automaticFailover(verdict, "alarm"));

    assertThat(result.reason())
        .startsWith(
            "detection: observers disagree about region-a: entry-point=down, standby-side=up");
    assertThat(find(result, "guards", Phase.REFUSED).attributes())
        .containsKeys("observer.entry-point", "observer.standby-side");
  }

  @Test
  void automaticFailover_refuses_whenNoObserverHasSeenTheWriter() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(1)));

    RunResult result =
        r.orchestrator("lambda")
            .run(
                new RunRequest(
                    RunKind.FAILOVER, Trigger.AUTOMATIC, false, "alarm", Optional.empty()));

    assertThat(result.reason())
        .startsWith(
            "detection: observers disagree about region-a: entry-point=unknown, standby-side=unknown");
    assertThat(r.replication.promotions()).isZero();
  }

  @Test
  void automaticFailover_refuses_whenTheVerdictIsAboutAnotherRegion() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(1)));
    r.entryPoint.healthy(B, false);
    r.standbySide.healthy(B, false);

    RunResult result =
        r.orchestrator("lambda").run(RunRequest.automaticFailover(downVerdict(B), "alarm"));

    assertThat(result.reason())
        .isEqualTo("detection: the verdict is about region-b, the writer is region-a");
  }

  @Test
  void automaticFailover_refuses_withinMinFailoverInterval_butNotAfterIt() {
    operator(RunKind.SWITCHOVER, false);
    r.clock.advance(Duration.ofMinutes(2));
    r.regionDown(B);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(1)));

    RunResult tooSoon =
        r.orchestrator("lambda").run(RunRequest.automaticFailover(downVerdict(B), "alarm"));

    assertThat(tooSoon.reason()).startsWith("minFailoverInterval: previous switchover switchover-");
    assertThat(tooSoon.reason()).contains("ago; no automatic failover before");

    r.clock.advance(Duration.ofMinutes(10));
    RunResult later =
        r.orchestrator("lambda").run(RunRequest.automaticFailover(downVerdict(B), "alarm"));

    assertThat(later.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(r.replication.writer()).contains(A);
  }

  @Test
  void operatorFailover_isNotHeldBackByMinFailoverInterval() {
    operator(RunKind.SWITCHOVER, false);
    r.clock.advance(Duration.ofMinutes(1));
    r.regionDown(B);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(1)));

    RunResult result = operator(RunKind.FAILOVER, false);

    assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
  }

  // failback ----------------------------------------------------------------------------------

  @Test
  void automaticFailback_isRefusedByDefault() {
    RunResult result =
        r.orchestrator("lambda")
            .run(
                new RunRequest(
                    RunKind.FAILBACK, Trigger.AUTOMATIC, false, "alarm", Optional.empty()));

    assertThat(result.reason()).startsWith("automaticFailback: off (the default)");
  }

  @Test
  void failback_refuses_whenHomeIsAlreadyTheWriter() {
    RunResult result = operator(RunKind.FAILBACK, false);

    assertThat(result.reason()).startsWith("topology: the writer is region-a, not region-b");
  }

  @Test
  void failback_refuses_whileHomeRegionIsUnhealthy() {
    failoverWithLostOrders();

    RunResult result = operator(RunKind.FAILBACK, false);

    assertThat(result.reason()).startsWith("health: region-a is not healthy: entry-point=down");
    assertThat(r.replication.callCount("rejoin")).isZero();
  }

  @Test
  void failback_takesTheRpoLedger_rejoins_thenSwitchesBack() {
    failoverWithLostOrders();
    r.regionUp(A);
    r.clock.advance(Duration.ofMinutes(30));

    RunResult result = operator(RunKind.FAILBACK, false);

    assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(r.replication.writer()).contains(A);
    assertThat(r.replication.calls())
        .filteredOn(c -> !c.equals("status"))
        .endsWith(
            "rejoin region-a -> region-b",
            "fenceWriter region-b",
            "awaitCaughtUp region-a",
            "promote region-a NO_DATA_LOSS");
    RpoLedger ledger =
        r.ledgers
            .find(r.orchestrator("x").lastFailoverRecord().orElseThrow().runId())
            .orElseThrow();
    assertThat(ledger.missing()).extracting(o -> o.clientOrderId()).containsExactly("c-2", "c-3");
    assertThat(find(result, "rpo-ledger", Phase.COMPLETED).reason())
        .startsWith("rpo-ledger: 2 orders that region-a committed and region-b lacks are saved");
    assertThat(r.router.changes()).endsWith("region-a PLANNED");
    assertThat(r.control.read().isHeldBy(A)).isTrue();
  }

  private void failoverWithLostOrders() {
    var o1 = r.orders.commit(A, "c-1", "acct-1");
    r.orders.replicate(B, o1);
    r.replication.replayAll();
    r.clock.advance(Duration.ofMillis(300));
    r.orders.commit(A, "c-2", "acct-1");
    r.orders.commit(A, "c-3", "acct-2");
    r.replication.commit(2);
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(300)));
    assertThat(operator(RunKind.FAILOVER, false).outcome()).isEqualTo(RunOutcome.COMPLETED);
  }

  // dry run, switches, bootstrap, status, history ---------------------------------------------

  @Test
  void plan_listsGuardsAndSteps_andChangesNothing() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(42)));
    int journalSize = r.control.allEntries().size();

    RunPlan plan =
        r.orchestrator("drctl").plan(RunRequest.operator(RunKind.FAILOVER, false, "alice"));

    assertThat(plan.wouldProceed()).isFalse();
    assertThat(plan.guards())
        .extracting(d -> d.step())
        .containsExactly(
            "runLease",
            "automaticFailover",
            "minFailoverInterval",
            "detection",
            "topology",
            "maxLagOnFailover");
    assertThat(plan.guards().getLast().verdict()).isEqualTo(Verdict.REFUSED);
    assertThat(plan.steps())
        .extracting(RunPlan.PlannedStep::step)
        .containsExactly(
            "guards",
            "revoke-lease",
            "fence-writer",
            "await-lease-expiry",
            "promote",
            "grant-lease",
            "route",
            "scale",
            "notify",
            "record-watermark");
    assertThat(plan.steps().get(4).action()).isEqualTo("promote region-b (ALLOW_DATA_LOSS)");
    assertThat(r.control.allEntries()).hasSize(journalSize);
    assertThat(r.replication.callCount("promote")).isZero();
  }

  @Test
  void bootstrap_grantsTheFirstLease_onlyOnce() {
    FakeRegions fresh = new FakeRegions();
    fresh.control.revoke(fresh.control.read().epoch());

    assertThat(fresh.orchestrator("x").bootstrapWriteLease(A).reason())
        .startsWith("bootstrap: the write lease has history (epoch 2");
  }

  @Test
  void status_showsRolesHealthLagWeightsAndEpoch() {
    r.entryPoint.healthy(B, false);

    StatusReport status = r.orchestrator("drctl").status();

    assertThat(status.regions()).hasSize(2);
    StatusReport.RegionStatus a = status.regions().get(0);
    assertThat(a.region()).isEqualTo("region-a");
    assertThat(a.role()).isEqualTo(io.tradingdr.core.region.RegionRole.WRITER);
    assertThat(a.routingWeight()).contains(100);
    assertThat(a.holdsWriteLease()).isTrue();
    assertThat(a.writeEpoch()).isEqualTo(1);
    StatusReport.RegionStatus b = status.regions().get(1);
    assertThat(b.role()).isEqualTo(io.tradingdr.core.region.RegionRole.STANDBY);
    assertThat(b.health()).containsEntry("entry-point", "down (503 Service Unavailable, 12ms)");
    assertThat(status.replicationLag()).contains(Duration.ofMillis(20));
    assertThat(status.automaticFailover()).isEqualTo("ON");
    assertThat(status.problems()).isEmpty();
  }

  @Test
  void status_listsUnreachableParts_insteadOfThrowing() {
    r.router.unreachable(true);

    StatusReport status = r.orchestrator("drctl").status();

    assertThat(status.problems())
        .containsExactly("router: unreachable: routing control plane does not answer");
    assertThat(status.regions().getFirst().routingWeight()).isEmpty();
  }

  @Test
  void history_showsRunsNewestFirst_withReasonsAndDurations() {
    operator(RunKind.SWITCHOVER, false);
    r.clock.advance(Duration.ofMinutes(1));
    r.orchestrator("drctl").pauseAutomaticFailover("bob");

    List<RunSummary> runs = r.orchestrator("drctl").history(10);

    assertThat(runs).extracting(RunSummary::kind).containsExactly("PAUSE", "SWITCHOVER");
    RunSummary switchover = runs.get(1);
    assertThat(switchover.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(switchover.duration()).hasValueSatisfying(d -> assertThat(d).isPositive());
    assertThat(switchover.steps()).extracting(RunSummary.StepSummary::step).contains("promote");
    assertThat(switchover.from()).isEqualTo("region-a");
  }

  private JournalEntry find(RunResult result, String step, Phase phase) {
    return journal(result).stream()
        .filter(e -> e.step().equals(step) && e.phase() == phase)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + step + " " + phase + " in " + journal(result)));
  }
}
