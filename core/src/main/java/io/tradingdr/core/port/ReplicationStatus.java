package io.tradingdr.core.port;

import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the database layer says about replication from the writer to the standby.
 *
 * @param writer the region whose database accepts writes, empty when none does (mid-promotion)
 * @param standby the region whose database replays from the writer
 * @param lag how far the standby's replay is behind, empty when it cannot be measured
 * @param writerWatermark the writer's position, empty when the writer is unreachable
 * @param standbyWatermark the standby's replayed position, empty when unreachable
 * @param synchronous true when commits wait for the standby (no loss on unplanned failover)
 */
public record ReplicationStatus(
    Optional<RegionId> writer,
    RegionId standby,
    Optional<Duration> lag,
    Optional<Watermark> writerWatermark,
    Optional<Watermark> standbyWatermark,
    boolean synchronous) {

  public ReplicationStatus {
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(standby, "standby");
    Objects.requireNonNull(lag, "lag");
    Objects.requireNonNull(writerWatermark, "writerWatermark");
    Objects.requireNonNull(standbyWatermark, "standbyWatermark");
  }
}
