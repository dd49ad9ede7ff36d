package io.tradingdr.core.run;

import static io.tradingdr.core.testing.FakeRegions.A;
import static io.tradingdr.core.testing.FakeRegions.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.JournalEntry.Phase;
import io.tradingdr.core.testing.FakeRegions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunLeaseTest {

  private final FakeRegions r = new FakeRegions();

  @Test
  void doubleTrigger_runsOnce_andTheSecondIsRefusedNamingTheHolder() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(1)));
    AtomicReference<RunResult> second = new AtomicReference<>();
    r.router.duringNextRoute(
        () ->
            second.set(
                r.orchestrator("lambda:us-east-1")
                    .run(RunRequest.operator(RunKind.FAILOVER, false, "alarm"))));

    RunResult first =
        r.orchestrator("lambda:us-east-2")
            .run(RunRequest.operator(RunKind.FAILOVER, false, "alarm"));

    assertThat(first.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(second.get().outcome()).isEqualTo(RunOutcome.REFUSED);
    assertThat(second.get().reason()).startsWith("runLease: held by lambda:us-east-2 until ");
    assertThat(r.replication.promotions()).isEqualTo(1);
    assertThat(r.control.entries(second.get().runId()))
        .extracting(JournalEntry::phase)
        .containsExactly(Phase.REFUSED);
  }

  @Test
  void sequentialTriggers_promoteOnce() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofSeconds(1)));

    r.orchestrator("one").run(RunRequest.operator(RunKind.FAILOVER, false, "alarm"));
    RunResult again =
        r.orchestrator("two").run(RunRequest.operator(RunKind.FAILOVER, false, "alarm"));

    assertThat(again.outcome()).isEqualTo(RunOutcome.REFUSED);
    assertThat(r.replication.promotions()).isEqualTo(1);
  }

  @Test
  void leaseLostBetweenSteps_stopsTheRun_journaled_andTheRunResumesLater() {
    r.router.duringNextRoute(
        () -> {
          r.clock.advance(Duration.ofMinutes(2));
          r.control.acquireRunLease("intruder", Duration.ofSeconds(60));
        });

    RunResult stopped =
        r.orchestrator("o1").run(RunRequest.operator(RunKind.SWITCHOVER, false, "alice"));

    assertThat(stopped.outcome()).isEqualTo(RunOutcome.INTERRUPTED);
    assertThat(stopped.reason()).startsWith("runLease: lost (").contains("now held by intruder");
    JournalEntry last = r.control.entries(stopped.runId()).getLast();
    assertThat(last.step()).isEqualTo("run-lease");
    assertThat(last.phase()).isEqualTo(Phase.REFUSED);
    assertThat(last.reason()).contains("stopped at route, resumable from the journal");
    assertThat(r.capacity.calls()).isEmpty();

    r.clock.advance(Duration.ofMinutes(2));
    RunResult resumed = r.orchestrator("o2").resumeUnfinished().orElseThrow();

    assertThat(resumed.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(resumed.decisions().getFirst().reason()).startsWith("scale:");
    assertThat(r.replication.promotions()).isEqualTo(1);
  }

  @Test
  void leaseExpiredMidStep_theNewHolderFinishes_andTheOldOneStopsAtItsNextJournalWrite() {
    AtomicReference<RunResult> takeover = new AtomicReference<>();
    r.router.duringNextRoute(
        () -> {
          r.clock.advance(Duration.ofMinutes(2));
          takeover.set(r.orchestrator("o2").resumeUnfinished().orElseThrow());
        });

    RunResult first =
        r.orchestrator("o1").run(RunRequest.operator(RunKind.SWITCHOVER, false, "alice"));

    assertThat(takeover.get().outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(first.outcome()).isEqualTo(RunOutcome.INTERRUPTED);
    assertThat(first.reason()).startsWith("runLease: another orchestrator has journaled this run");
    assertThat(r.replication.promotions()).isEqualTo(1);
    assertThat(r.control.grants()).isEqualTo(2);
    assertThat(r.control.read().isHeldBy(B)).isTrue();
    List<JournalEntry> entries = r.control.entries(first.runId());
    assertThat(entries.getLast().step()).isEqualTo("run");
    assertThat(entries.getLast().phase()).isEqualTo(Phase.COMPLETED);
  }

  @Test
  void journalUnreachableMidRun_stopsTheRun_whichResumesOnceTheStoreAnswers() {
    r.router.duringNextRoute(() -> r.control.journalUnreachable(true));

    RunResult stopped =
        r.orchestrator("o1").run(RunRequest.operator(RunKind.SWITCHOVER, false, "alice"));

    assertThat(stopped.outcome()).isEqualTo(RunOutcome.INTERRUPTED);
    assertThat(stopped.reason())
        .startsWith("controlStore: unreachable, the journal cannot be written");
    r.control.journalUnreachable(false);
    r.clock.advance(Duration.ofMinutes(2));

    RunResult resumed = r.orchestrator("o2").resumeUnfinished().orElseThrow();

    assertThat(resumed.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(r.replication.promotions()).isEqualTo(1);
    assertThat(r.router.changes()).containsExactly("region-b PLANNED");
  }

  @Test
  void longStep_keepsTheRunLease_renewedInTheBackground() throws Exception {
    r.config =
        io.tradingdr.core.config.OrchestratorConfig.builder()
            .runLeaseTtl(Duration.ofSeconds(1))
            .build();
    AtomicReference<RunResult> intruder = new AtomicReference<>();
    r.router.duringNextRoute(
        () -> {
          // 1.5 s of run-lease time passes (more than its 1 s TTL) while the keeper renews it
          // every 333 ms of real time; the clock runs slower than real time to absorb jitter.
          for (int i = 0; i < 6; i++) {
            r.clock.advance(Duration.ofMillis(250));
            sleepRealTime(350);
          }
          intruder.set(r.orchestrator("o2").run(RunRequest.operator(RunKind.FAILOVER, false, "x")));
        });

    RunResult result =
        r.orchestrator("o1").run(RunRequest.operator(RunKind.SWITCHOVER, false, "alice"));

    assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(intruder.get().reason()).startsWith("runLease: held by o1 until");
  }

  private static void sleepRealTime(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void controlStoreUnreachable_atStart_failsWithoutARun() {
    r.control.journalUnreachable(true);

    RunResult result =
        r.orchestrator("o1").run(RunRequest.operator(RunKind.SWITCHOVER, false, "alice"));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.reason()).startsWith("controlStore: unreachable, no run started");
    assertThat(r.replication.promotions()).isZero();
  }
}
