package io.tradingdr.core.testing;

import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * One observer. Each region is up unless set down; a script of results per region is played first,
 * one per probe, for flapping scenarios.
 */
public final class FakeHealthProbe implements HealthProbe {

  private final String observer;
  private final Clock clock;
  private final Map<RegionId, Boolean> healthy = new HashMap<>();
  private final Map<RegionId, Deque<Boolean>> script = new HashMap<>();

  public FakeHealthProbe(String observer, Clock clock) {
    this.observer = observer;
    this.clock = clock;
  }

  @Override
  public String observer() {
    return observer;
  }

  @Override
  public synchronized ProbeResult probe(RegionId region) {
    Deque<Boolean> next = script.get(region);
    boolean up =
        next != null && !next.isEmpty() ? next.removeFirst() : healthy.getOrDefault(region, true);
    return new ProbeResult(
        observer,
        region,
        clock.instant(),
        up,
        Duration.ofMillis(12),
        up ? "200 ready" : "503 Service Unavailable");
  }

  public synchronized void healthy(RegionId region, boolean value) {
    healthy.put(region, value);
  }

  /** Results to return for {@code region}, in order, before falling back to the steady state. */
  public synchronized void script(RegionId region, Boolean... results) {
    script.computeIfAbsent(region, r -> new ArrayDeque<>()).addAll(java.util.List.of(results));
  }
}
