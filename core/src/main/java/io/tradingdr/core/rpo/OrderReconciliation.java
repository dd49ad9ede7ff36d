package io.tradingdr.core.rpo;

import io.tradingdr.core.region.RegionId;

/**
 * Port: applies a reconcile action to the current writer through its normal order path.
 *
 * <p>{@link io.tradingdr.core.port.UnreachableException}: the writer did not answer (outcome
 * unknown; both methods are idempotent, so retry). {@link io.tradingdr.core.port.RefusedException}:
 * the writer refused the order (validation, no write lease).
 */
public interface OrderReconciliation {

  /**
   * Submits {@code order} to {@code writer} through the normal write path, idempotent by (account,
   * client order id): replaying an order that is already there returns its id with {@code created =
   * false}.
   */
  ReplayOutcome replay(RegionId writer, CommittedOrder order);

  /**
   * Records in {@code writer}'s database that {@code order}, acknowledged by the old writer and
   * lost in the failover, is cancelled, with {@code reason}. Idempotent by order id.
   */
  void markCancelled(RegionId writer, CommittedOrder order, String reason);

  /** Result of a replay: the order's id on the writer, and whether this call created it. */
  record ReplayOutcome(String orderId, boolean created) {}
}
