package io.tradingdr.core.rpo;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The RPO ledger of one unplanned failover: the orders the old primary committed that the new
 * primary lacks. Plain fields only (strings, instants, lists), so it serialises to JSON as is.
 *
 * @param failoverRunId the failover run this ledger accounts for
 * @param oldWriter the region that was the writer before the failover
 * @param newWriter the region promoted with data loss allowed
 * @param promotedAt when the promotion step completed
 * @param since the orders were read from this instant on
 * @param standbyWatermarkAtPromotion the standby's replayed position when it was promoted
 * @param oldWriterLastKnownWatermark the old writer's last position the orchestrator saw
 * @param builtAt when the ledger was taken
 * @param missing the orders the old primary committed and the new one lacks, oldest first
 */
public record RpoLedger(
    String failoverRunId,
    String oldWriter,
    String newWriter,
    Instant promotedAt,
    Instant since,
    String standbyWatermarkAtPromotion,
    String oldWriterLastKnownWatermark,
    Instant builtAt,
    List<CommittedOrder> missing) {

  public RpoLedger {
    Objects.requireNonNull(failoverRunId, "failoverRunId");
    Objects.requireNonNull(oldWriter, "oldWriter");
    Objects.requireNonNull(newWriter, "newWriter");
    Objects.requireNonNull(builtAt, "builtAt");
    missing = List.copyOf(missing);
  }
}
