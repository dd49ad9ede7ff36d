package io.tradingdr.core.rpo;

import java.util.Optional;

/**
 * Port: where RPO ledgers are kept until reconciled (a file locally; an object store or the control
 * table in AWS). {@link io.tradingdr.core.port.UnreachableException} when it cannot be reached.
 */
public interface RpoLedgerStore {

  /** Stores {@code ledger} under its failover run id. Idempotent: a later save replaces it. */
  void save(RpoLedger ledger);

  /** The ledger of {@code failoverRunId}, if one was taken. */
  Optional<RpoLedger> find(String failoverRunId);
}
