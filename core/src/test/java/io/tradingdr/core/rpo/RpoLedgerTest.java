package io.tradingdr.core.rpo;

import static io.tradingdr.core.testing.FakeRegions.A;
import static io.tradingdr.core.testing.FakeRegions.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.testing.FakeOrderLedger;
import io.tradingdr.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RpoLedgerTest {

  private final MutableClock clock = MutableClock.start();
  private final FakeOrderLedger orders = new FakeOrderLedger(clock);
  private final OrchestratorConfig config = OrchestratorConfig.defaults();

  private FailoverRecord failover(Instant standbyLastCommit) {
    return new FailoverRecord(
        "failover-1",
        A,
        B,
        clock.instant(),
        Optional.of(new Watermark(1000, "0/3E8", standbyLastCommit)),
        Optional.of(new Watermark(1030, "0/406", clock.instant())));
  }

  @Test
  void ledger_listsWhatTheOldPrimaryCommitted_andTheNewOneLacks() {
    CommittedOrder replicated = orders.commit(A, "c-1", "acct-1");
    orders.replicate(B, replicated);
    Instant standbyLastCommit = clock.instant();
    clock.advance(Duration.ofMillis(200));
    CommittedOrder lost1 = orders.commit(A, "c-2", "acct-1");
    CommittedOrder lost2 = orders.commit(A, "c-3", "acct-2");
    clock.advance(Duration.ofSeconds(5));

    RpoLedger ledger =
        new RpoLedgerBuilder(orders, config, clock).build(failover(standbyLastCommit));

    assertThat(ledger.missing()).containsExactly(lost1, lost2);
    assertThat(ledger.oldWriter()).isEqualTo("region-a");
    assertThat(ledger.standbyWatermarkAtPromotion()).isEqualTo("0/3E8");
    assertThat(ledger.oldWriterLastKnownWatermark()).isEqualTo("0/406");
    assertThat(ledger.since()).isEqualTo(standbyLastCommit.minus(config.rpoLedgerLookback()));
  }

  @Test
  void ledger_countsAnOrderReplayedUnderANewId_asPresent() {
    CommittedOrder lost = orders.commit(A, "c-9", "acct-1");
    orders.replay(B, lost);

    RpoLedger ledger = new RpoLedgerBuilder(orders, config, clock).build(failover(clock.instant()));

    assertThat(ledger.missing()).isEmpty();
  }

  @Test
  void ledgerWindow_fallsBackToThePromotionTimeLessTheLagGuard_whenTheCommitTimeIsUnknown() {
    FailoverRecord record =
        new FailoverRecord("f", A, B, clock.instant(), Optional.empty(), Optional.empty());

    Instant since = new RpoLedgerBuilder(orders, config, clock).since(record);

    assertThat(since)
        .isEqualTo(
            clock.instant().minus(config.maxLagOnFailover()).minus(config.rpoLedgerLookback()));
  }

  @Test
  void replay_isIdempotentByClientOrderId_andFailuresAreListedNotDropped() {
    CommittedOrder lost1 = orders.commit(A, "c-2", "acct-1");
    CommittedOrder lost2 = orders.commit(A, "c-3", "acct-2");
    orders.refuseReplayOf("c-3");
    RpoLedger ledger =
        new RpoLedgerBuilder(orders, config, clock)
            .build(failover(clock.instant().minusSeconds(1)));
    Reconciler reconciler = new Reconciler(orders);

    Reconciler.ReconcileReport first = reconciler.reconcile(ledger, ReconcileAction.REPLAY, B);
    Reconciler.ReconcileReport second = reconciler.reconcile(ledger, ReconcileAction.REPLAY, B);

    assertThat(first.results())
        .extracting(Reconciler.OrderResult::outcome)
        .containsExactly(Reconciler.Outcome.REPLAYED, Reconciler.Outcome.FAILED);
    assertThat(first.results().get(1).detail())
        .isEqualTo("RefusedException: order c-3 rejected: market closed");
    assertThat(first.complete()).isFalse();
    assertThat(second.results())
        .extracting(Reconciler.OrderResult::outcome)
        .containsExactly(Reconciler.Outcome.ALREADY_PRESENT, Reconciler.Outcome.FAILED);
    assertThat(orders.orders(B)).extracting(CommittedOrder::clientOrderId).containsExactly("c-2");
    assertThat(lost1.orderId()).isNotEqualTo(orders.orders(B).getFirst().orderId());
    assertThat(lost2).isNotNull();
  }

  @Test
  void markCancelled_recordsEveryOrderOnTheNewWriter() {
    orders.commit(A, "c-2", "acct-1");
    orders.commit(A, "c-3", "acct-2");
    RpoLedger ledger =
        new RpoLedgerBuilder(orders, config, clock)
            .build(failover(clock.instant().minusSeconds(1)));

    Reconciler.ReconcileReport report =
        new Reconciler(orders).reconcile(ledger, ReconcileAction.MARK_CANCELLED, B);

    assertThat(report.count(Reconciler.Outcome.CANCELLED)).isEqualTo(2);
    assertThat(orders.cancelled(B)).hasSize(2);
  }
}
