package io.tradingdr.core.port;

import io.tradingdr.core.region.RegionId;

/**
 * Port: one observer of region health (an HTTP probe through the traffic entry point, an HTTP probe
 * from the standby side, a CloudWatch alarm state).
 *
 * <p>Never throws for an unhealthy or unreachable region: that is an unhealthy result, with the
 * error in its detail. Read-only and idempotent.
 */
public interface HealthProbe {

  /** The observer's name, used in decisions ("entry-point saw 503"). */
  String observer();

  ProbeResult probe(RegionId region);
}
