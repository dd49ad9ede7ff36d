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
 * process, so capacity is 0 or 1. Both regions keep their service running (hot standby), so the
 * orchestrator's scale-up of the new writer normally finds it there: a region has 1 in service when
 * its service process runs and answers {@code /health}. One that runs but does not answer yet is
 * waited for, within the timeout. A service that is not running, as the state file records it, is
 * started again (same port and settings) and waited for: the supervisor starts it as its child; a
 * process attached to the supervisor's regions starts it detached and records it in the state file,
 * so that the supervisor and {@code drctl local down} stop it. Scaling to 0 stops the recorded
 * process. More than one is refused.
 */
public final class LocalServiceCapacity implements CapacityManager {

  private final LocalRegions regions;

  public LocalServiceCapacity(LocalRegions regions) {
    this.regions = Objects.requireNonNull(regions, "regions");
  }

  @Override
  public int inService(RegionId region) {
    // A process that does not answer /health serves nobody: it does not count.
    return regions.serviceHealthy(region) ? 1 : 0;
  }

  /**
   * Idempotent. To 1: starts the service if it is not running, then waits until it answers {@code
   * /health} for at most {@code timeout}. To 0: stops it.
   */
  @Override
  public void scaleTo(RegionId region, int desired, Duration timeout) {
    if (desired < 0 || desired > 1) {
      throw new RefusedException(
          "local capacity of "
              + region
              + " is one service process: desired must be 0 or 1, was "
              + desired);
    }
    try {
      if (desired == 0) {
        regions.stopService(region);
      } else {
        regions.restartService(region);
        regions.awaitServiceHealthy(region, timeout);
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
