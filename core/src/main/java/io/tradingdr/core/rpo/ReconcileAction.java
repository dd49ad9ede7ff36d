package io.tradingdr.core.rpo;

/** What to do with the orders an RPO ledger lists. */
public enum ReconcileAction {
  /** Submit them again to the new writer, idempotently by client order id. */
  REPLAY,
  /** Record them as cancelled on the new writer, so clients and back office see their fate. */
  MARK_CANCELLED
}
