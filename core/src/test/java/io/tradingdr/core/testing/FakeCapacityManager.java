package io.tradingdr.core.testing;

import io.tradingdr.core.port.CapacityManager;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Capacity per region that reaches the desired value at once; can time out. */
public final class FakeCapacityManager implements CapacityManager {

  private final Map<RegionId, Integer> inService = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private boolean timesOut;

  public FakeCapacityManager(Map<RegionId, Integer> initial) {
    inService.putAll(initial);
  }

  @Override
  public synchronized int inService(RegionId region) {
    return inService.getOrDefault(region, 0);
  }

  @Override
  public synchronized void scaleTo(RegionId region, int desired, Duration timeout) {
    calls.add(region + "=" + desired);
    if (timesOut) {
      throw new UnreachableException("capacity in " + region + " not in service after " + timeout);
    }
    inService.put(region, desired);
  }

  public synchronized void timesOut(boolean value) {
    timesOut = value;
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }
}
