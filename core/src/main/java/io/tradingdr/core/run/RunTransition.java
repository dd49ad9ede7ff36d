package io.tradingdr.core.run;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every legal transition of a run, as from-to pairs. Anything else is a bug and throws.
 *
 * <p>Switchover: NEW, GUARDS, REVOKE_LEASE, FENCE_WRITER, AWAIT_LEASE_EXPIRY, AWAIT_CAUGHT_UP,
 * PROMOTE, GRANT_LEASE, ROUTE, SCALE, NOTIFY, COMPLETED. Failover: the same without
 * AWAIT_CAUGHT_UP, with RECORD_WATERMARK after NOTIFY. Failback: GUARDS, RPO_LEDGER, REJOIN,
 * AWAIT_REPLICATION, then the switchover's steps. Any step may fail; only the guards refuse.
 */
public enum RunTransition {
  NEW_TO_GUARDS(RunState.NEW, RunState.GUARDS),
  NEW_TO_REFUSED(RunState.NEW, RunState.REFUSED),
  GUARDS_TO_REFUSED(RunState.GUARDS, RunState.REFUSED),
  GUARDS_TO_FAILED(RunState.GUARDS, RunState.FAILED),
  GUARDS_TO_REVOKE_LEASE(RunState.GUARDS, RunState.REVOKE_LEASE),
  GUARDS_TO_RPO_LEDGER(RunState.GUARDS, RunState.RPO_LEDGER),
  RPO_LEDGER_TO_REJOIN(RunState.RPO_LEDGER, RunState.REJOIN),
  RPO_LEDGER_TO_FAILED(RunState.RPO_LEDGER, RunState.FAILED),
  REJOIN_TO_AWAIT_REPLICATION(RunState.REJOIN, RunState.AWAIT_REPLICATION),
  REJOIN_TO_FAILED(RunState.REJOIN, RunState.FAILED),
  AWAIT_REPLICATION_TO_REVOKE_LEASE(RunState.AWAIT_REPLICATION, RunState.REVOKE_LEASE),
  AWAIT_REPLICATION_TO_FAILED(RunState.AWAIT_REPLICATION, RunState.FAILED),
  REVOKE_LEASE_TO_FENCE_WRITER(RunState.REVOKE_LEASE, RunState.FENCE_WRITER),
  REVOKE_LEASE_TO_FAILED(RunState.REVOKE_LEASE, RunState.FAILED),
  FENCE_WRITER_TO_AWAIT_LEASE_EXPIRY(RunState.FENCE_WRITER, RunState.AWAIT_LEASE_EXPIRY),
  FENCE_WRITER_TO_FAILED(RunState.FENCE_WRITER, RunState.FAILED),
  AWAIT_LEASE_EXPIRY_TO_AWAIT_CAUGHT_UP(RunState.AWAIT_LEASE_EXPIRY, RunState.AWAIT_CAUGHT_UP),
  AWAIT_LEASE_EXPIRY_TO_PROMOTE(RunState.AWAIT_LEASE_EXPIRY, RunState.PROMOTE),
  AWAIT_LEASE_EXPIRY_TO_FAILED(RunState.AWAIT_LEASE_EXPIRY, RunState.FAILED),
  AWAIT_CAUGHT_UP_TO_PROMOTE(RunState.AWAIT_CAUGHT_UP, RunState.PROMOTE),
  AWAIT_CAUGHT_UP_TO_FAILED(RunState.AWAIT_CAUGHT_UP, RunState.FAILED),
  PROMOTE_TO_GRANT_LEASE(RunState.PROMOTE, RunState.GRANT_LEASE),
  PROMOTE_TO_FAILED(RunState.PROMOTE, RunState.FAILED),
  GRANT_LEASE_TO_ROUTE(RunState.GRANT_LEASE, RunState.ROUTE),
  GRANT_LEASE_TO_FAILED(RunState.GRANT_LEASE, RunState.FAILED),
  ROUTE_TO_SCALE(RunState.ROUTE, RunState.SCALE),
  ROUTE_TO_FAILED(RunState.ROUTE, RunState.FAILED),
  SCALE_TO_NOTIFY(RunState.SCALE, RunState.NOTIFY),
  SCALE_TO_FAILED(RunState.SCALE, RunState.FAILED),
  NOTIFY_TO_COMPLETED(RunState.NOTIFY, RunState.COMPLETED),
  NOTIFY_TO_FAILED(RunState.NOTIFY, RunState.FAILED),
  NOTIFY_TO_RECORD_WATERMARK(RunState.NOTIFY, RunState.RECORD_WATERMARK),
  RECORD_WATERMARK_TO_COMPLETED(RunState.RECORD_WATERMARK, RunState.COMPLETED),
  RECORD_WATERMARK_TO_FAILED(RunState.RECORD_WATERMARK, RunState.FAILED);

  private final RunState from;
  private final RunState to;

  RunTransition(RunState from, RunState to) {
    this.from = from;
    this.to = to;
  }

  public RunState from() {
    return from;
  }

  public RunState to() {
    return to;
  }

  public static Optional<RunTransition> between(RunState from, RunState to) {
    return Arrays.stream(values()).filter(t -> t.from == from && t.to == to).findFirst();
  }

  /** The legal transition from {@code from} to {@code to}, or IllegalStateException naming both. */
  public static RunTransition require(RunState from, RunState to) {
    return between(from, to)
        .orElseThrow(
            () -> new IllegalStateException("illegal run transition " + from + " -> " + to));
  }
}
