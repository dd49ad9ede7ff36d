package io.tradingdr.core.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a run is. Every non-terminal state after {@link #NEW} is a journaled step, named by {@link
 * #step()}.
 */
public enum RunState {
  NEW,
  /** Every guard of the run kind is evaluated; a refusal ends the run. */
  GUARDS,
  /** Failback: take the RPO ledger of the failover being undone, before the rejoin discards it. */
  RPO_LEDGER,
  /** Failback: re-protect the old primary as a standby of the current writer. */
  REJOIN,
  /** Failback: wait until the rejoined standby's lag is within {@code maxLagOnFailover}. */
  AWAIT_REPLICATION,
  /** Revoke the write lease (epoch + 1, no holder): the old writer cannot renew any more. */
  REVOKE_LEASE,
  /** Make the old writer's database refuse writes (best effort in a failover). */
  FENCE_WRITER,
  /** Wait until the old writer's last possible lease has expired, plus the safety margin. */
  AWAIT_LEASE_EXPIRY,
  /** Switchover: wait until the standby has replayed all the fenced writer committed. */
  AWAIT_CAUGHT_UP,
  /** Promote the standby's database. Skipped when status() already shows it as the writer. */
  PROMOTE,
  /** Grant the write lease to the new writer at the next epoch. */
  GRANT_LEASE,
  /** Send traffic to the new writer. */
  ROUTE,
  /** Scale the new writer to {@code writerCapacity}. */
  SCALE,
  /** Tell people (best effort). */
  NOTIFY,
  /** Failover: journal the watermarks for the RPO ledger. */
  RECORD_WATERMARK,
  COMPLETED,
  REFUSED,
  FAILED;

  /** The step's journal name: {@code revoke-lease}, {@code await-caught-up}, ... */
  public String step() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public boolean isTerminal() {
    return this == COMPLETED || this == REFUSED || this == FAILED;
  }

  public static Optional<RunState> ofStep(String step) {
    return Arrays.stream(values()).filter(s -> s.step().equals(step)).findFirst();
  }
}
