package io.tradingdr.aws.health;

import io.tradingdr.core.port.ProbeResult;
import java.util.List;

/**
 * Where the health monitor's observations go. {@link io.tradingdr.core.port.UnreachableException}
 * or {@link io.tradingdr.core.port.RefusedException} when they were not stored.
 */
public interface HealthMetrics {

  void publish(List<ProbeResult> results);
}
