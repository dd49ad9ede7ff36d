package io.tradingdr.core.port;

import io.tradingdr.core.region.RegionId;
import java.time.Duration;

/**
 * Port: compute capacity of a region (Auto Scaling desired capacity, Lambda concurrency, local
 * process count).
 *
 * <p>{@link UnreachableException}: the capacity service did not answer; {@link RefusedException}:
 * it refused (limits, access denied).
 */
public interface CapacityManager {

  /** Current in-service capacity of {@code region}. */
  int inService(RegionId region);

  /**
   * Sets the desired capacity of {@code region} and waits until that many units are in service or
   * {@code timeout} passes ({@link UnreachableException}). Idempotent.
   */
  void scaleTo(RegionId region, int desired, Duration timeout);
}
