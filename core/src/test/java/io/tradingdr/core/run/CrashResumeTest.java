package io.tradingdr.core.run;

import static io.tradingdr.core.testing.FakeRegions.A;
import static io.tradingdr.core.testing.FakeRegions.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.JournalEntry.Phase;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.testing.FakeRegions;
import io.tradingdr.core.testing.SimulatedCrash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The process dies between any two journal entries of a run; the next orchestrator resumes the run
 * from its journal. At each step, both ways: right after the step's STARTED entry (before it acted)
 * and right before its outcome entry (after it acted).
 */
class CrashResumeTest {

  enum CrashPoint {
    AFTER_STARTED,
    BEFORE_OUTCOME
  }

  static Stream<Arguments> everyStepOfEveryKind() {
    List<Arguments> out = new ArrayList<>();
    for (RunKind kind : RunKind.values()) {
      // The run's own first and last entries: right after it started, right before it ends.
      out.add(Arguments.of(kind, "run", CrashPoint.AFTER_STARTED));
      out.add(Arguments.of(kind, "run", CrashPoint.BEFORE_OUTCOME));
      for (RunState step : kind.steps()) {
        for (CrashPoint point : CrashPoint.values()) {
          out.add(Arguments.of(kind, step.step(), point));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} crash {2} {1}")
  @MethodSource("everyStepOfEveryKind")
  void crashedRun_isResumedByTheNextOrchestrator_withNoDoublePromotionOrGrant(
      RunKind kind, String step, CrashPoint point) {
    FakeRegions r = new FakeRegions();
    RegionId expectedWriter = prepare(r, kind);
    int promotionsBefore = r.replication.promotions();
    int grantsBefore = r.control.grants();
    Predicate<JournalEntry> at =
        point == CrashPoint.AFTER_STARTED
            ? e -> e.step().equals(step) && e.phase() == Phase.STARTED
            : e -> e.step().equals(step) && e.phase() != Phase.STARTED;
    if (point == CrashPoint.AFTER_STARTED) {
      r.control.crashAfterAppending(at);
    } else {
      r.control.crashBeforeAppending(at);
    }

    assertThatThrownBy(
            () -> r.orchestrator("orchestrator-1").run(RunRequest.operator(kind, false, "alice")))
        .isInstanceOf(SimulatedCrash.class);

    Orchestrator second = r.orchestrator("orchestrator-2");
    assertThat(second.resumeUnfinished())
        .hasValueSatisfying(
            refused ->
                assertThat(refused.reason()).startsWith("runLease: held by orchestrator-1 until"));
    r.clock.advance(r.config.runLeaseTtl().plusSeconds(1));

    RunResult resumed = second.resumeUnfinished().orElseThrow();

    assertThat(resumed.resumed()).isTrue();
    assertThat(resumed.outcome()).as(resumed.reason()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(r.replication.promotions() - promotionsBefore).isEqualTo(1);
    assertThat(r.control.grants() - grantsBefore).isEqualTo(1);
    assertThat(r.replication.writer()).contains(expectedWriter);
    assertThat(r.control.read().isHeldBy(expectedWriter)).isTrue();
    assertThat(r.router.active()).isEqualTo(expectedWriter);
    List<JournalEntry> entries = r.control.entries(resumed.runId());
    for (RunState s : kind.steps()) {
      assertThat(entries)
          .filteredOn(e -> e.step().equals(s.step()) && e.phase() == Phase.COMPLETED)
          .as("COMPLETED entries of " + s.step())
          .hasSize(1);
    }
    assertThat(entries.getLast().phase()).isEqualTo(Phase.COMPLETED);
    assertThat(r.orchestrator("orchestrator-3").resumeUnfinished()).isEmpty();
  }

  /** Sets the scene for {@code kind}; returns the writer the run must end with. */
  private static RegionId prepare(FakeRegions r, RunKind kind) {
    switch (kind) {
      case SWITCHOVER -> {
        r.replication.commit(10);
        return B;
      }
      case FAILOVER -> {
        r.regionDown(A);
        r.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(500)));
        return B;
      }
      default -> {
        r.regionDown(A);
        r.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(500)));
        RunResult failover =
            r.orchestrator("orchestrator-0")
                .run(RunRequest.operator(RunKind.FAILOVER, false, "alice"));
        assertThat(failover.outcome()).isEqualTo(RunOutcome.COMPLETED);
        r.regionUp(A);
        r.clock.advance(Duration.ofMinutes(15));
        return A;
      }
    }
  }

  @Test
  void resumedPromote_isSkipped_whenTheStatusAlreadyShowsTheNewWriter() {
    FakeRegions r = new FakeRegions();
    r.replication.afterNextPromotion(
        () -> {
          throw new SimulatedCrash("right after promoting");
        });
    assertThatThrownBy(
            () -> r.orchestrator("o1").run(RunRequest.operator(RunKind.SWITCHOVER, false, "alice")))
        .isInstanceOf(SimulatedCrash.class);
    r.clock.advance(Duration.ofMinutes(2));

    RunResult resumed = r.orchestrator("o2").resumeUnfinished().orElseThrow();

    assertThat(resumed.decisions().getFirst().reason())
        .isEqualTo(
            "promote: region-b is already the writer (observed in the replication status); not"
                + " promoted again");
    assertThat(r.replication.callCount("promote")).isEqualTo(1);
  }

  @Test
  void newRequest_resumesTheUnfinishedRunFirst() {
    FakeRegions r = new FakeRegions();
    r.control.crashAfterAppending(e -> e.step().equals("route") && e.phase() == Phase.STARTED);
    assertThatThrownBy(
            () -> r.orchestrator("o1").run(RunRequest.operator(RunKind.SWITCHOVER, false, "alice")))
        .isInstanceOf(SimulatedCrash.class);
    r.clock.advance(Duration.ofMinutes(2));

    RunResult result =
        r.orchestrator("o2").run(RunRequest.operator(RunKind.SWITCHOVER, false, "bob"));

    assertThat(result.resumed()).isTrue();
    assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(r.replication.promotions()).isEqualTo(1);
    assertThat(r.replication.writer()).contains(B);
  }
}
