package io.tradingdr.core.region;

import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.ReplicationStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One region's role as the orchestrator sees it, derived from the write lease (who may write) and
 * the replication status (whose database writes).
 *
 * @param role {@link RegionRole#WRITER} when it holds an unexpired lease and its database writes;
 *     {@link RegionRole#STANDBY} when its database replays from the writer; {@link
 *     RegionRole#FENCED} when it was the writer and the lease moved away while its database still
 *     claims to write; {@link RegionRole#UNKNOWN} otherwise
 * @param epoch the write lease's epoch when this region holds it, else the current epoch
 */
public record RegionView(RegionId region, RegionRole role, Epoch epoch) {

  public RegionView {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(epoch, "epoch");
  }

  /** Derives the role of {@code region} from what the lease store and the database report. */
  public static RegionView of(
      RegionId region, WriteLease lease, ReplicationStatus status, Instant now) {
    boolean dbWriter = status.writer().filter(region::equals).isPresent();
    boolean leaseValid = lease.isValidFor(region, now);
    RegionRole role;
    if (dbWriter && leaseValid) {
      role = RegionRole.WRITER;
    } else if (dbWriter) {
      role = lease.isHeldBy(region) ? RegionRole.UNKNOWN : RegionRole.FENCED;
    } else if (status.standby().equals(region) && status.standbyWatermark().isPresent()) {
      role = RegionRole.STANDBY;
    } else {
      role = RegionRole.UNKNOWN;
    }
    return new RegionView(region, role, lease.epoch());
  }
}
