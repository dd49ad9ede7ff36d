package io.tradingdr.core.port;

import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One observation of one region by one observer.
 *
 * @param observer who looked (e.g. {@code entry-point}, {@code standby-side}, {@code cloudwatch})
 * @param healthy whether the region served its deep readiness check
 * @param detail what was seen: status code, error, alarm state
 */
public record ProbeResult(
    String observer,
    RegionId region,
    Instant at,
    boolean healthy,
    Duration latency,
    String detail) {

  public ProbeResult {
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(detail, "detail");
  }
}
