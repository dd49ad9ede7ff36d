package io.tradingdr.core.rpo;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.port.Watermark;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Takes the RPO ledger of a failover: reads what the old primary committed from shortly before the
 * standby's last replayed commit, and keeps what the new primary lacks.
 */
public final class RpoLedgerBuilder {

  private final OrderLedgerSource source;
  private final OrchestratorConfig config;
  private final Clock clock;

  public RpoLedgerBuilder(OrderLedgerSource source, OrchestratorConfig config, Clock clock) {
    this.source = source;
    this.config = config;
    this.clock = clock;
  }

  public RpoLedger build(FailoverRecord failover) {
    Instant since = since(failover);
    List<CommittedOrder> candidates = source.committedSince(failover.oldWriter(), since);
    Set<String> present = source.present(failover.newWriter(), candidates);
    List<CommittedOrder> missing =
        candidates.stream().filter(o -> !present.contains(o.orderId())).toList();
    return new RpoLedger(
        failover.runId(),
        failover.oldWriter().value(),
        failover.newWriter().value(),
        failover.promotedAt(),
        since,
        failover.standbyAtPromotion().map(Watermark::label).orElse("unknown"),
        failover.oldWriterLastKnown().map(Watermark::label).orElse("unknown"),
        clock.instant(),
        missing);
  }

  /**
   * The standby's last replayed commit when known, else the promotion time less the lag guard (the
   * most it was allowed to lag), less {@code rpoLedgerLookback} for clock skew between databases.
   */
  Instant since(FailoverRecord failover) {
    Instant anchor =
        failover
            .standbyAtPromotion()
            .map(Watermark::lastCommitAt)
            .filter(java.util.Objects::nonNull)
            .orElse(failover.promotedAt().minus(config.maxLagOnFailover()));
    return anchor.minus(config.rpoLedgerLookback());
  }
}
