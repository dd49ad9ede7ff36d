package io.tradingdr.service.fence;

import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.core.fence.WritePermit;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.region.RegionRole;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The pre-control-store write fence: the region's role and epoch come from configuration ({@code
 * TDR_WRITE_ROLE}, {@code TDR_WRITE_EPOCH}) and change only by a restart with new values. A WRITER
 * admits every write; a STANDBY refuses every write. It cannot notice that another region took
 * over, so it is only safe when failovers also stop or reconfigure the old writer (or make its
 * database read-only, which the service answers with 503 as well). The lease fence on the control
 * store ({@link DynamoDbLeaseFence}) replaces it when {@code TDR_CONTROL_TABLE} is set.
 *
 * <p>Each permit is valid for {@code permitWindow} (default 5 s): with no lease behind it, that
 * only bounds how long one write transaction may take.
 */
public final class ConfiguredWriteFence implements WriteFence {

  public static final Duration DEFAULT_PERMIT_WINDOW = Duration.ofSeconds(5);
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final RegionId region;
  private final RegionRole role;
  private final Epoch epoch;
  private final Clock clock;
  private final Duration permitWindow;

  public ConfiguredWriteFence(
      RegionId region, RegionRole role, Epoch epoch, Clock clock, Duration permitWindow) {
    this.region = Objects.requireNonNull(region, "region");
    this.role = Objects.requireNonNull(role, "role");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.permitWindow = Objects.requireNonNull(permitWindow, "permitWindow");
    if (role != RegionRole.WRITER && role != RegionRole.STANDBY) {
      throw new IllegalArgumentException("TDR_WRITE_ROLE must be WRITER or STANDBY, was " + role);
    }
  }

  public ConfiguredWriteFence(RegionId region, RegionRole role, Epoch epoch, Clock clock) {
    this(region, role, epoch, clock, DEFAULT_PERMIT_WINDOW);
  }

  @Override
  public WritePermit admit() {
    if (role != RegionRole.WRITER) {
      throw new WriteRefusedException(
          "writeRole: region "
              + region
              + " is configured as "
              + role
              + " (TDR_WRITE_ROLE); order writes go to the writer region",
          RETRY_AFTER);
    }
    return new WritePermit(region, epoch, clock.instant().plus(permitWindow));
  }

  public RegionRole role() {
    return role;
  }

  @Override
  public String toString() {
    return "configured fence: " + region + " " + role + " at epoch " + epoch;
  }
}
