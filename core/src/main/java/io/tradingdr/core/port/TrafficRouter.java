package io.tradingdr.core.port;

import io.tradingdr.core.region.RegionId;
import java.time.Duration;

/**
 * Port: sends client traffic to one region (Route 53 in AWS, the local DNS server locally).
 *
 * <p>{@link UnreachableException}: the routing service did not answer; {@link RefusedException}: it
 * refused (access denied, the mode cannot be served, e.g. PLANNED while the control plane is down).
 */
public interface TrafficRouter {

  RoutingState current();

  /**
   * Routes all traffic to {@code region} and waits until the change is in effect at the routing
   * service (Route 53 INSYNC, the DNS server's serial), or {@code timeout}. Idempotent. Clients may
   * still hold cached answers for the record's TTL.
   */
  void routeTo(RegionId region, RouteMode mode, Duration timeout);
}
