package io.tradingdr.core.testing;

import io.tradingdr.core.rpo.RpoLedger;
import io.tradingdr.core.rpo.RpoLedgerStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Ledgers in a map. */
public final class FakeRpoLedgerStore implements RpoLedgerStore {

  private final Map<String, RpoLedger> ledgers = new HashMap<>();

  @Override
  public synchronized void save(RpoLedger ledger) {
    ledgers.put(ledger.failoverRunId(), ledger);
  }

  @Override
  public synchronized Optional<RpoLedger> find(String failoverRunId) {
    return Optional.ofNullable(ledgers.get(failoverRunId));
  }

  public synchronized int size() {
    return ledgers.size();
  }
}
