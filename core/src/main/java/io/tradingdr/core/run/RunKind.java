package io.tradingdr.core.run;

import java.util.List;
import java.util.Locale;

/** The three kinds of run, each with its fixed sequence of steps. */
public enum RunKind {
  /** Planned: fence, wait for catch-up, promote without loss. */
  SWITCHOVER(
      List.of(
          RunState.GUARDS,
          RunState.REVOKE_LEASE,
          RunState.FENCE_WRITER,
          RunState.AWAIT_LEASE_EXPIRY,
          RunState.AWAIT_CAUGHT_UP,
          RunState.PROMOTE,
          RunState.GRANT_LEASE,
          RunState.ROUTE,
          RunState.SCALE,
          RunState.NOTIFY)),
  /** Unplanned: lag guard, lease expiry, promote with data loss allowed, record the watermark. */
  FAILOVER(
      List.of(
          RunState.GUARDS,
          RunState.REVOKE_LEASE,
          RunState.FENCE_WRITER,
          RunState.AWAIT_LEASE_EXPIRY,
          RunState.PROMOTE,
          RunState.GRANT_LEASE,
          RunState.ROUTE,
          RunState.SCALE,
          RunState.NOTIFY,
          RunState.RECORD_WATERMARK)),
  /** Back to the home region: ledger, rejoin, catch up, then a switchover. */
  FAILBACK(
      List.of(
          RunState.GUARDS,
          RunState.RPO_LEDGER,
          RunState.REJOIN,
          RunState.AWAIT_REPLICATION,
          RunState.REVOKE_LEASE,
          RunState.FENCE_WRITER,
          RunState.AWAIT_LEASE_EXPIRY,
          RunState.AWAIT_CAUGHT_UP,
          RunState.PROMOTE,
          RunState.GRANT_LEASE,
          RunState.ROUTE,
          RunState.SCALE,
          RunState.NOTIFY));

  private final List<RunState> steps;

  RunKind(List<RunState> steps) {
    this.steps = steps;
  }

  /** The steps in order, from GUARDS to the last one before COMPLETED. */
  public List<RunState> steps() {
    return steps;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
