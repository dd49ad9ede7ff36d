package io.tradingdr.core.rpo;

import io.tradingdr.core.region.RegionId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link ReconcileAction} to every order of an RPO ledger. Each order gets an outcome,
 * failures included, so nothing is dropped silently; a failed order can be reconciled again (both
 * actions are idempotent).
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final OrderReconciliation target;

  public Reconciler(OrderReconciliation target) {
    this.target = target;
  }

  /** Outcome of one order. */
  public enum Outcome {
    REPLAYED,
    ALREADY_PRESENT,
    CANCELLED,
    FAILED
  }

  /** One order's result; {@code detail} is the new order id, or the error for a failure. */
  public record OrderResult(
      String orderId, String clientOrderId, String account, Outcome outcome, String detail) {}

  /** The result of reconciling one ledger. */
  public record ReconcileReport(
      String failoverRunId, ReconcileAction action, String writer, List<OrderResult> results) {

    public ReconcileReport {
      results = List.copyOf(results);
    }

    public long count(Outcome outcome) {
      return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    public boolean complete() {
      return count(Outcome.FAILED) == 0;
    }

    /** The counts, e.g. {@code 3 replayed, 1 already present, 0 cancelled, 0 failed}. */
    public String counts() {
      return count(Outcome.REPLAYED)
          + " replayed, "
          + count(Outcome.ALREADY_PRESENT)
          + " already present, "
          + count(Outcome.CANCELLED)
          + " cancelled, "
          + count(Outcome.FAILED)
          + " failed";
    }
  }

  public ReconcileReport reconcile(RpoLedger ledger, ReconcileAction action, RegionId writer) {
    List<OrderResult> results = new ArrayList<>();
    for (CommittedOrder order : ledger.missing()) {
      results.add(apply(ledger, action, writer, order));
    }
    return new ReconcileReport(ledger.failoverRunId(), action, writer.value(), results);
  }

  private OrderResult apply(
      RpoLedger ledger, ReconcileAction action, RegionId writer, CommittedOrder order) {
    try {
      if (action == ReconcileAction.REPLAY) {
        OrderReconciliation.ReplayOutcome outcome = target.replay(writer, order);
        return result(
            order,
            outcome.created() ? Outcome.REPLAYED : Outcome.ALREADY_PRESENT,
            outcome.orderId());
      }
      target.markCancelled(
          writer,
          order,
          "lost in failover " + ledger.failoverRunId() + " from " + ledger.oldWriter());
      return result(order, Outcome.CANCELLED, "cancelled");
    } catch (RuntimeException e) {
      LOG.warn("reconcile {} of order {} failed: {}", action, order.orderId(), e.toString());
      return result(order, Outcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static OrderResult result(CommittedOrder order, Outcome outcome, String detail) {
    return new OrderResult(
        order.orderId(), order.clientOrderId(), order.account(), outcome, detail);
  }
}
