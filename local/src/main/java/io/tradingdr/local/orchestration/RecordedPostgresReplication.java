package io.tradingdr.local.orchestration;

import io.tradingdr.core.port.DatabaseReplication;
import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.local.regions.LocalRegions;
import java.time.Duration;
import java.util.Objects;

/**
 * The regions' {@link io.tradingdr.local.db.PostgresStreamingReplication}, its nodes bound before
 * every call to the postmasters the state file records ({@link LocalRegions#replication()}): a
 * rejoin by another process (the supervisor's monitor, an attached drctl) may have restarted one,
 * and stopping or rewinding a node must act on the server that runs now. Same contract as the
 * delegate.
 */
final class RecordedPostgresReplication implements DatabaseReplication {

  private final LocalRegions regions;

  RecordedPostgresReplication(LocalRegions regions) {
    this.regions = Objects.requireNonNull(regions, "regions");
  }

  @Override
  public ReplicationStatus status() {
    return regions.replication().status();
  }

  @Override
  public void fenceWriter(RegionId region) {
    regions.replication().fenceWriter(region);
  }

  @Override
  public Watermark awaitCaughtUp(RegionId standby, Duration timeout) {
    return regions.replication().awaitCaughtUp(standby, timeout);
  }

  @Override
  public void promote(RegionId standby, PromotionMode mode, Duration timeout) {
    regions.replication().promote(standby, mode, timeout);
  }

  @Override
  public void rejoinAsStandby(RegionId oldWriter, RegionId newWriter, Duration timeout) {
    regions.replication().rejoinAsStandby(oldWriter, newWriter, timeout);
  }
}
