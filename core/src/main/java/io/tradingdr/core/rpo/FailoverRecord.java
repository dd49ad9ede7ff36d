package io.tradingdr.core.rpo;

import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.RegionId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a completed failover run journaled for the RPO ledger.
 *
 * @param standbyAtPromotion the promoted standby's replayed watermark just before promotion
 * @param oldWriterLastKnown the old writer's last watermark the orchestrator observed
 */
public record FailoverRecord(
    String runId,
    RegionId oldWriter,
    RegionId newWriter,
    Instant promotedAt,
    Optional<Watermark> standbyAtPromotion,
    Optional<Watermark> oldWriterLastKnown) {

  public FailoverRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(oldWriter, "oldWriter");
    Objects.requireNonNull(newWriter, "newWriter");
    Objects.requireNonNull(promotedAt, "promotedAt");
    Objects.requireNonNull(standbyAtPromotion, "standbyAtPromotion");
    Objects.requireNonNull(oldWriterLastKnown, "oldWriterLastKnown");
  }
}
