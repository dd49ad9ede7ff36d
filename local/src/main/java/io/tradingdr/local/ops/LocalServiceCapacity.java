package io.tradingdr.local.ops;

import io.tradingdr.core.port.CapacityManager;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.local.regions.LocalRegions;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link CapacityManager} for the local regions: a region's capacity is its one trading service
 * process, so capacity is 0 or 1; scaling to 0 stops the process and scaling to 1 starts it again.
 * More than one is refused: the local regions run one service per region.
 */
public final class LocalServiceCapacity implements CapacityManager {

  private final LocalRegions regions;

  public LocalServiceCapacity(LocalRegions regions) {
    this.regions = Objects.requireNonNull(regions, "regions");
  }

  @Override
  public int inService(RegionId region) {
    return regions.serviceRunning(region) ? 1 : 0;
  }

  /** Idempotent; {@code timeout} bounds the start (the service's own health wait). */
  @Override
  public void scaleTo(RegionId region, int desired, Duration timeout) {
    if (desired < 0 || desired > 1) {
      throw new RefusedException(
          "local capacity of "
              + region
              + " is one service process: desired must be 0 or 1, was "
              + desired);
    }
    if (inService(region) == desired) {
      return;
    }
    try {
      if (desired == 0) {
        regions.stopService(region);
      } else {
        regions.restartService(region);
      }
    } catch (IllegalStateException e) {
      throw new UnreachableException(
          "scaling "
              + region
              + " to "
              + desired
              + " failed within "
              + timeout
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
