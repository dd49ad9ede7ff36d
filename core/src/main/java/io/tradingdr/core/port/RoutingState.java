package io.tradingdr.core.port;

import io.tradingdr.core.region.RegionId;
import java.util.Map;
import java.util.Optional;

/**
 * Who gets client traffic now.
 *
 * @param weights share of traffic per region, 0-100 (failover records: 100 for the active record)
 * @param active the region clients are sent to, empty when none or unknown
 * @param detail adapter-specific description (record set, change id, routing control state)
 */
public record RoutingState(
    Map<RegionId, Integer> weights, Optional<RegionId> active, String detail) {

  public RoutingState {
    weights = Map.copyOf(weights);
  }
}
